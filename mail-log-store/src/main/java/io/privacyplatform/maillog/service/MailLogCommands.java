package io.privacyplatform.maillog.service;

import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import com.fasterxml.jackson.databind.node.ArrayNode;

import io.privacyplatform.events.EventCodec;
import io.privacyplatform.events.EventEnvelope;
import io.privacyplatform.events.payload.PrivacyCommand;
import io.privacyplatform.events.subscriber.CommandHandler;
import io.privacyplatform.events.subscriber.CommandResult;
import io.privacyplatform.maillog.MailMessage;
import io.privacyplatform.maillog.rest.MessageView;

/**
 * What the platform's commands do to the mail log. Runs in the transaction of platform-support's
 * {@code StoreCommandInbox}, which applies the store rules around it (target, remembered outcomes, the ack), so
 * a re-sent command is answered with the remembered outcome instead of acting twice.
 */
@ApplicationScoped
public class MailLogCommands implements CommandHandler {

    /** PURGE commands of this tenant come from platform-wide retention policies and cover every account. */
    public static final String PLATFORM_TENANT = "platform";
    public static final String CATEGORY_HEADERS = "email_headers";
    public static final String CATEGORY_SAMPLE = "email_sample";

    @Inject
    EntityManager entityManager;

    @Inject
    EventCodec codec;

    @Override
    @Transactional(Transactional.TxType.MANDATORY)
    public CommandResult handle(PrivacyCommand command, EventEnvelope envelope) {
        return switch (command.kind()) {
            case ERASE -> erase(command);
            case PURGE -> purge(command);
            case EXPORT -> export(command);
            case RESTRICT -> restrict(command, true);
            case LIFT_RESTRICTION -> restrict(command, false);
            // The mail log holds what was sent; a sent message's headers are not rewritten.
            case RECTIFY -> CommandResult.notFound().withDetail("sent messages are a record and are not rectified");
        };
    }

    private CommandResult erase(PrivacyCommand command) {
        String email = subjectEmail(command);
        if (email == null) {
            return CommandResult.notFound().withDetail("the command names no e-mail address to match");
        }
        List<UUID> ids = matching(command.tenantId(), email);
        if (ids.isEmpty()) {
            return CommandResult.notFound();
        }
        if (onlySamples(command.categories())) {
            int bodies = entityManager.createNativeQuery("DELETE FROM mail_sample WHERE message_pk = ANY (?1)")
                    .setParameter(1, ids.toArray(UUID[]::new)).executeUpdate();
            return bodies == 0 ? CommandResult.notFound() : CommandResult.done(strings(ids));
        }
        entityManager.createNativeQuery("DELETE FROM mail_message WHERE id = ANY (?1)")
                .setParameter(1, ids.toArray(UUID[]::new)).executeUpdate();
        return CommandResult.done(strings(ids));
    }

    private CommandResult purge(PrivacyCommand command) {
        boolean everyAccount = PLATFORM_TENANT.equals(command.tenantId());
        String scope = everyAccount ? "" : " AND tenant_id = ?2";
        @SuppressWarnings("unchecked")
        List<UUID> ids = onlySamples(command.categories())
                ? bind(entityManager.createNativeQuery("DELETE FROM mail_sample WHERE message_pk IN (SELECT id FROM"
                        + " mail_message WHERE sent_at < ?1" + scope + ") RETURNING message_pk", UUID.class),
                        command, everyAccount).getResultList()
                : bind(entityManager.createNativeQuery(
                        "DELETE FROM mail_message WHERE sent_at < ?1" + scope + " RETURNING id", UUID.class),
                        command, everyAccount).getResultList();
        return ids.isEmpty() ? CommandResult.notFound() : CommandResult.done(strings(ids));
    }

    private static jakarta.persistence.Query bind(jakarta.persistence.Query query, PrivacyCommand command,
            boolean everyAccount) {
        query.setParameter(1, Timestamp.from(command.cutoff()));
        if (!everyAccount) {
            query.setParameter(2, command.tenantId());
        }
        return query;
    }

    private CommandResult export(PrivacyCommand command) {
        String email = subjectEmail(command);
        if (email == null) {
            return CommandResult.notFound().withDetail("the command names no e-mail address to match");
        }
        List<MailMessage> messages = entityManager.createQuery(
                "from MailMessage m where m.tenantId = :tenant and (lower(m.sender) = :email"
                        + " or array_contains(m.recipients, :email)) order by m.sentAt, m.id",
                MailMessage.class).setParameter("tenant", command.tenantId()).setParameter("email", email)
                .getResultList();
        if (messages.isEmpty()) {
            return CommandResult.notFound();
        }
        ArrayNode data = codec.mapper().createArrayNode();
        List<String> ids = new ArrayList<>();
        for (MailMessage message : messages) {
            data.add(codec.mapper().valueToTree(MessageView.of(message)));
            ids.add(message.id.toString());
        }
        return CommandResult.exported(ids, data);
    }

    private CommandResult restrict(PrivacyCommand command, boolean restricted) {
        String email = subjectEmail(command);
        if (email == null) {
            return CommandResult.notFound().withDetail("the command names no e-mail address to match");
        }
        List<UUID> ids = matching(command.tenantId(), email);
        if (ids.isEmpty()) {
            return CommandResult.notFound();
        }
        entityManager.createNativeQuery("UPDATE mail_message SET restricted = ?1 WHERE id = ANY (?2)")
                .setParameter(1, restricted).setParameter(2, ids.toArray(UUID[]::new)).executeUpdate();
        return CommandResult.done(strings(ids));
    }

    @SuppressWarnings("unchecked")
    private List<UUID> matching(String tenantId, String email) {
        return entityManager.createNativeQuery("SELECT id FROM mail_message WHERE tenant_id = ?1"
                + " AND (lower(sender) = ?2 OR ?2 = ANY (recipients)) FOR UPDATE", UUID.class)
                .setParameter(1, tenantId).setParameter(2, email).getResultList();
    }

    private static String subjectEmail(PrivacyCommand command) {
        String email = command.subject() == null ? null : command.subject().email();
        return email == null || email.isBlank() ? null : email.toLowerCase(Locale.ROOT);
    }

    private static boolean onlySamples(List<String> categories) {
        return !categories.isEmpty() && categories.contains(CATEGORY_SAMPLE) && !categories.contains(CATEGORY_HEADERS);
    }

    private static List<String> strings(List<UUID> ids) {
        return ids.stream().map(UUID::toString).toList();
    }
}
