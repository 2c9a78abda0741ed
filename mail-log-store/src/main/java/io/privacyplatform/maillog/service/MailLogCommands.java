package io.privacyplatform.maillog.service;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;

import io.privacyplatform.events.EventCodec;
import io.privacyplatform.events.payload.AckOutcome;
import io.privacyplatform.events.payload.CommandAck;
import io.privacyplatform.events.payload.PrivacyCommand;
import io.privacyplatform.events.subscriber.AcknowledgedCommands;
import io.privacyplatform.events.subscriber.CommandResult;
import io.privacyplatform.maillog.MailMessage;
import io.privacyplatform.maillog.config.MailLogConfig;
import io.privacyplatform.maillog.rest.MessageView;

/**
 * Carries out the platform's commands on the mail log. Each command's effect and the record of its outcome commit
 * in one transaction; a redelivered command (a crash before the ack was confirmed, a re-send after a timeout) finds
 * that record and is answered with the same outcome, without acting twice.
 */
@ApplicationScoped
public class MailLogCommands implements AcknowledgedCommands {

    /** PURGE commands of this tenant come from platform-wide retention policies and cover every account. */
    public static final String PLATFORM_TENANT = "platform";
    public static final String CATEGORY_HEADERS = "email_headers";
    public static final String CATEGORY_SAMPLE = "email_sample";

    private static final Logger LOG = Logger.getLogger(MailLogCommands.class);

    @Inject
    EntityManager entityManager;

    @Inject
    EventCodec codec;

    @Inject
    MailLogConfig config;

    @Inject
    Clock clock;

    @Transactional
    public CommandResult handle(PrivacyCommand command) {
        CommandResult result = switch (command.kind()) {
            case ERASE -> erase(command);
            case PURGE -> purge(command);
            case EXPORT -> export(command);
            case RESTRICT -> restrict(command, true);
            case LIFT_RESTRICTION -> restrict(command, false);
            // The mail log holds what was sent; a sent message's headers are not rewritten.
            case RECTIFY -> CommandResult.notFound().withDetail("sent messages are a record and are not rectified");
        };
        if (result.outcome() != AckOutcome.FAILED) {
            recordOutcome(command, result);
        }
        LOG.infof("command %s (%s) for %s: %s, %d records", command.commandId(), command.kind(),
                config.systemName(), result.outcome(), result.records());
        return result;
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

    private void recordOutcome(PrivacyCommand command, CommandResult result) {
        entityManager.createNativeQuery("""
                INSERT INTO command_outcome (command_id, tenant_id, request_id, outcome, records, digest, detail,
                                             data, completed_at)
                VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, cast(?8 as jsonb), ?9)
                ON CONFLICT (command_id) DO NOTHING""")
                .setParameter(1, command.commandId()).setParameter(2, command.tenantId())
                .setParameter(3, command.requestId()).setParameter(4, result.outcome().name())
                .setParameter(5, result.records()).setParameter(6, result.digest())
                .setParameter(7, result.detail())
                .setParameter(8, result.data() == null ? null : result.data().toString())
                .setParameter(9, Timestamp.from(clock.instant())).executeUpdate();
    }

    /** The outcome recorded with the command's effect, as the ack the subscriber kit republishes. */
    @Override
    @Transactional
    public Optional<CommandAck> find(String commandId) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = entityManager.createNativeQuery("""
                SELECT tenant_id, request_id, outcome, records, digest, detail, cast(data as text), completed_at
                  FROM command_outcome WHERE command_id = ?1""").setParameter(1, commandId).getResultList();
        if (rows.isEmpty()) {
            return Optional.empty();
        }
        Object[] row = rows.get(0);
        return Optional.of(new CommandAck(commandId, config.systemName(), (String) row[0], (String) row[1],
                AckOutcome.valueOf((String) row[2]), ((Number) row[3]).longValue(), (String) row[4],
                (String) row[5], json((String) row[6]), instant(row[7])));
    }

    /** The outcome is already recorded with the effect; nothing more to keep once the ack is published. */
    @Override
    public void remember(CommandAck ack) {
    }

    private JsonNode json(String text) {
        try {
            return text == null ? null : codec.mapper().readTree(text);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("stored command data is not JSON", e);
        }
    }

    private static Instant instant(Object value) {
        if (value instanceof Instant instant) {
            return instant;
        }
        if (value instanceof java.time.OffsetDateTime offset) {
            return offset.toInstant();
        }
        return ((Timestamp) value).toInstant();
    }
}
