package io.privacyplatform.maillog.service;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.PersistenceException;
import jakarta.transaction.Transactional;

import io.privacyplatform.maillog.MailMessage;
import io.privacyplatform.maillog.config.MailLogConfig;
import io.privacyplatform.maillog.repository.MailMessageRepository;
import io.privacyplatform.maillog.repository.TenantSettingRepository;
import io.privacyplatform.maillog.rest.MessageInput;
import io.privacyplatform.support.error.ApiException;
import io.privacyplatform.support.error.ErrorMappers;
import io.privacyplatform.support.error.ErrorResponse.FieldProblem;
import io.privacyplatform.support.rest.Page;
import io.privacyplatform.support.rest.PageCursor;

/** Storing the pipeline's messages and showing an account its own recent header logs. */
@ApplicationScoped
public class MailLog {

    /** A sender's clock may run a little ahead of ours. */
    private static final Duration CLOCK_SKEW = Duration.ofMinutes(5);

    @Inject
    MailMessageRepository mailMessages;

    @Inject
    TenantSettingRepository tenantSettings;

    @Inject
    Clock clock;

    @Inject
    MailLogConfig config;

    @Inject
    MailSampling sampling;

    public record Stored(int messages, int bodies) {
    }

    /** Stores every message or none: a batch with one bad or duplicate message is refused whole. */
    @Transactional
    public Stored store(String tenantId, List<MessageInput> messages, boolean batch) {
        Instant now = clock.instant();
        List<FieldProblem> problems = new ArrayList<>();
        Set<String> ids = new LinkedHashSet<>();
        for (int i = 0; i < messages.size(); i++) {
            MessageInput input = messages.get(i);
            String prefix = batch ? "messages[" + i + "]." : "";
            Integer index = batch ? i : null;
            if (input.sentAt().isAfter(now.plus(CLOCK_SKEW))) {
                problems.add(new FieldProblem(prefix + "sentAt", "must not be in the future", index));
            }
            if (!ids.add(input.messageId())) {
                problems.add(new FieldProblem(prefix + "messageId", "appears twice in this batch", index));
            }
        }
        if (!problems.isEmpty()) {
            throw ApiException.validation(problems);
        }
        List<String> existing = mailMessages.storedMessageIds(tenantId, ids);
        if (!existing.isEmpty()) {
            throw ApiException.conflict("duplicate_message",
                    existing.size() + " message id(s) are already stored, e.g. " + existing.get(0));
        }
        boolean trusted = tenantSettings.isTrusted(tenantId);
        try {
            return insert(tenantId, messages, trusted, now);
        } catch (PersistenceException e) {
            // A concurrent request stored one of these message ids between the check above and this insert.
            if (ErrorMappers.UNIQUE_VIOLATION.equals(ErrorMappers.sqlState(e))) {
                throw ApiException.conflict("duplicate_message",
                        "a message id of this request was stored by a concurrent request");
            }
            throw e;
        }
    }

    private Stored insert(String tenantId, List<MessageInput> messages, boolean trusted, Instant now) {
        int bodies = 0;
        for (MessageInput input : messages) {
            MailMessage message = new MailMessage();
            message.id = UUID.randomUUID();
            message.tenantId = tenantId;
            message.messageId = input.messageId();
            message.sender = input.from();
            message.toAddresses = input.to().toArray(String[]::new);
            message.ccAddresses = input.cc() == null ? new String[0] : input.cc().toArray(String[]::new);
            message.recipients = recipients(input);
            message.subject = input.subject();
            message.headers = input.headers() == null ? Map.of() : input.headers();
            message.sentAt = input.sentAt();
            message.storedAt = now;
            mailMessages.persist(message);
            if (!trusted && input.body() != null && sampling.isSampled(input.messageId())) {
                mailMessages.flush();
                mailMessages.addSample(message.id, input.body());
                bodies++;
            }
        }
        // written now, so that a unique violation surfaces here and not at commit
        mailMessages.flush();
        return new Stored(messages.size(), bodies);
    }

    /** The account's header logs of the visible period, newest first; restricted ones are hidden. */
    @Transactional
    public Page<MailMessage> list(String tenantId, String recipient, String from, Instant since, Integer limit,
            String cursor) {
        int size = PageCursor.limit(limit);
        PageCursor after = PageCursor.decode(cursor);
        Instant visibleFrom = clock.instant().minus(config.visibleFor());
        Instant lowerBound = since == null || since.isBefore(visibleFrom) ? visibleFrom : since;
        List<MailMessage> rows = mailMessages.page(tenantId,
                recipient == null ? null : recipient.toLowerCase(Locale.ROOT),
                from == null ? null : from.toLowerCase(Locale.ROOT), lowerBound,
                after == null ? null : after.at(), after == null ? null : after.id(), size);
        String next = null;
        if (rows.size() > size) {
            rows = rows.subList(0, size);
            MailMessage last = rows.get(size - 1);
            next = new PageCursor(last.sentAt, last.id.toString()).encode();
        }
        return new Page<>(rows, next);
    }

    private static String[] recipients(MessageInput input) {
        Set<String> all = new LinkedHashSet<>();
        input.to().forEach(a -> all.add(a.toLowerCase(Locale.ROOT)));
        if (input.cc() != null) {
            input.cc().forEach(a -> all.add(a.toLowerCase(Locale.ROOT)));
        }
        return all.toArray(String[]::new);
    }
}
