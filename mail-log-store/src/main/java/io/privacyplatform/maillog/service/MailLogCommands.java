package io.privacyplatform.maillog.service;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import com.fasterxml.jackson.databind.node.ArrayNode;

import io.privacyplatform.events.EventCodec;
import io.privacyplatform.events.EventEnvelope;
import io.privacyplatform.events.payload.PrivacyCommand;
import io.privacyplatform.events.subscriber.CommandHandler;
import io.privacyplatform.events.subscriber.CommandResult;
import io.privacyplatform.maillog.MailMessage;
import io.privacyplatform.maillog.repository.MailMessageRepository;
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
    MailMessageRepository mailMessages;

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
        List<UUID> ids = mailMessages.lockSubjectMessages(command.tenantId(), email);
        if (ids.isEmpty()) {
            return CommandResult.notFound();
        }
        if (onlySamples(command.categories())) {
            int bodies = mailMessages.deleteSamples(ids);
            return bodies == 0 ? CommandResult.notFound() : CommandResult.done(strings(ids));
        }
        mailMessages.deleteMessages(ids);
        return CommandResult.done(strings(ids));
    }

    private CommandResult purge(PrivacyCommand command) {
        String tenantId = PLATFORM_TENANT.equals(command.tenantId()) ? null : command.tenantId();
        List<UUID> ids = onlySamples(command.categories())
                ? mailMessages.deleteSamplesSentBefore(command.cutoff(), tenantId)
                : mailMessages.deleteMessagesSentBefore(command.cutoff(), tenantId);
        return ids.isEmpty() ? CommandResult.notFound() : CommandResult.done(strings(ids));
    }

    private CommandResult export(PrivacyCommand command) {
        String email = subjectEmail(command);
        if (email == null) {
            return CommandResult.notFound().withDetail("the command names no e-mail address to match");
        }
        List<MailMessage> messages = mailMessages.subjectMessages(command.tenantId(), email);
        if (messages.isEmpty()) {
            return CommandResult.notFound();
        }
        ArrayNode data = codec.mapper().createArrayNode();
        List<String> ids = new ArrayList<>();
        for (MailMessage message : messages) {
            data.add(codec.mapper().valueToTree(MessageView.of(message)));
            ids.add(message.id.toString());
        }
        // However large, the kit's store rules send it: split into ordered ack parts when one ack cannot hold it.
        return CommandResult.exported(ids, data);
    }

    private CommandResult restrict(PrivacyCommand command, boolean restricted) {
        String email = subjectEmail(command);
        if (email == null) {
            return CommandResult.notFound().withDetail("the command names no e-mail address to match");
        }
        List<UUID> ids = mailMessages.lockSubjectMessages(command.tenantId(), email);
        if (ids.isEmpty()) {
            return CommandResult.notFound();
        }
        mailMessages.setRestricted(ids, restricted);
        return CommandResult.done(strings(ids));
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
