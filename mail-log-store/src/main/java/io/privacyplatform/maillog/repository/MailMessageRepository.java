package io.privacyplatform.maillog.repository;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.UUID;

import jakarta.persistence.Query;

import org.hibernate.jpa.HibernateHints;

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

    /**
     * The primary keys of the tenant's messages sent by or to {@code email} (lower case), locked until the end of
     * the transaction so a command acts on exactly these.
     */
    @SuppressWarnings("unchecked")
    public List<UUID> lockSubjectMessages(String tenantId, String email) {
        return getEntityManager().createNativeQuery("SELECT id FROM mail_message WHERE tenant_id = ?1"
                + " AND (lower(sender) = ?2 OR ?2 = ANY (recipients)) FOR UPDATE", UUID.class)
                .setParameter(1, tenantId).setParameter(2, email).getResultList();
    }

    /** The tenant's messages sent by or to {@code email} (lower case), oldest first, read-only. */
    public List<MailMessage> subjectMessages(String tenantId, String email) {
        return getEntityManager().createQuery("from MailMessage m where m.tenantId = :tenant and"
                + " (lower(m.sender) = :email or array_contains(m.recipients, :email)) order by m.sentAt, m.id",
                MailMessage.class).setParameter("tenant", tenantId).setParameter("email", email)
                .setHint(HibernateHints.HINT_READ_ONLY, true).getResultList();
    }

    /** Deletes these messages (their sampled bodies go with them); returns how many. */
    public int deleteMessages(List<UUID> ids) {
        return getEntityManager().createNativeQuery("DELETE FROM mail_message WHERE id = ANY (?1)")
                .setParameter(1, ids.toArray(UUID[]::new)).executeUpdate();
    }

    /** Deletes the sampled bodies of these messages, keeping their headers; returns how many bodies. */
    public int deleteSamples(List<UUID> ids) {
        return getEntityManager().createNativeQuery("DELETE FROM mail_sample WHERE message_pk = ANY (?1)")
                .setParameter(1, ids.toArray(UUID[]::new)).executeUpdate();
    }

    /** Marks these messages as (not) to be processed; returns how many. */
    public int setRestricted(List<UUID> ids, boolean restricted) {
        return getEntityManager().createNativeQuery("UPDATE mail_message SET restricted = ?1 WHERE id = ANY (?2)")
                .setParameter(1, restricted).setParameter(2, ids.toArray(UUID[]::new)).executeUpdate();
    }

    /**
     * Deletes the messages sent before {@code cutoff}, of {@code tenantId} or, when it is null, of every account;
     * returns their primary keys.
     */
    @SuppressWarnings("unchecked")
    public List<UUID> deleteMessagesSentBefore(Instant cutoff, String tenantId) {
        return bindCutoff(getEntityManager().createNativeQuery("DELETE FROM mail_message WHERE sent_at < ?1"
                + tenantScope(tenantId) + " RETURNING id", UUID.class), cutoff, tenantId).getResultList();
    }

    /**
     * Deletes the sampled bodies of messages sent before {@code cutoff}, of {@code tenantId} or, when it is null,
     * of every account, keeping the headers; returns the primary keys of their messages.
     */
    @SuppressWarnings("unchecked")
    public List<UUID> deleteSamplesSentBefore(Instant cutoff, String tenantId) {
        return bindCutoff(getEntityManager().createNativeQuery("DELETE FROM mail_sample WHERE message_pk IN"
                + " (SELECT id FROM mail_message WHERE sent_at < ?1" + tenantScope(tenantId) + ")"
                + " RETURNING message_pk", UUID.class), cutoff, tenantId).getResultList();
    }

    private static String tenantScope(String tenantId) {
        return tenantId == null ? "" : " AND tenant_id = ?2";
    }

    private static Query bindCutoff(Query query, Instant cutoff, String tenantId) {
        query.setParameter(1, Timestamp.from(cutoff));
        if (tenantId != null) {
            query.setParameter(2, tenantId);
        }
        return query;
    }
}
