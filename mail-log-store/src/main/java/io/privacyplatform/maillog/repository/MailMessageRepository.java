package io.privacyplatform.maillog.repository;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.UUID;

import io.privacyplatform.maillog.MailMessage;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Parameters;
import jakarta.enterprise.context.ApplicationScoped;

/** Header logs and the bodies of sampled messages ({@code mail_sample}); every read is scoped to a tenant. */
@ApplicationScoped
public class MailMessageRepository implements PanacheRepositoryBase<MailMessage, UUID> {

    /** Which of {@code messageIds} the tenant has stored already. */
    public List<String> storedMessageIds(String tenantId, Collection<String> messageIds) {
        return getEntityManager().createQuery(
                "select m.messageId from MailMessage m where m.tenantId = :tenant and m.messageId in :ids",
                String.class).setParameter("tenant", tenantId).setParameter("ids", messageIds).getResultList();
    }

    /** Keeps the body of a stored (flushed) message. */
    public void addSample(UUID messagePk, String body) {
        getEntityManager().createNativeQuery("INSERT INTO mail_sample (message_pk, body) VALUES (?1, ?2)")
                .setParameter(1, messagePk).setParameter(2, body).executeUpdate();
    }

    /**
     * Unrestricted messages sent at or after {@code since}, newest first by (sentAt, id), after the cursor position
     * if given; {@code recipient} and {@code from} (lower case) narrow when not null. {@code limit + 1} rows at most.
     */
    public List<MailMessage> page(String tenantId, String recipient, String from, Instant since, Instant beforeAt,
            String beforeId, int limit) {
        StringBuilder query = new StringBuilder("tenantId = :tenant and restricted = false and sentAt >= :since");
        Parameters params = Parameters.with("tenant", tenantId).and("since", since);
        if (recipient != null) {
            query.append(" and array_contains(recipients, :recipient)");
            params.and("recipient", recipient);
        }
        if (from != null) {
            query.append(" and lower(sender) = :from");
            params.and("from", from);
        }
        if (beforeAt != null) {
            query.append(" and (sentAt < :at or (sentAt = :at and cast(id as String) < :id))");
            params.and("at", beforeAt).and("id", beforeId);
        }
        query.append(" order by sentAt desc, cast(id as String) desc");
        return find(query.toString(), params).page(0, limit + 1).list();
    }
}
