package io.privacyplatform.retention.service;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.core.JsonProcessingException;

import io.privacyplatform.events.EventCodec;
import io.privacyplatform.events.payload.AckOutcome;
import io.privacyplatform.events.payload.CommandSubject;
import io.privacyplatform.events.payload.PrivacyCommand;
import io.privacyplatform.retention.CommandState;
import io.privacyplatform.retention.DataSystem;
import io.privacyplatform.retention.SubjectCommand;
import io.privacyplatform.retention.config.RetentionConfig;
import io.privacyplatform.retention.repository.DataSystemRepository;
import io.privacyplatform.retention.repository.SubjectCommandRepository;
import io.privacyplatform.support.outbox.Outbox;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

/**
 * Issues and re-sends commands: the {@code subject_command} row and the outbox event are written in the caller's
 * transaction, so a command exists exactly when it is (or will be) on {@code privacy.command.v1}. A re-send keeps
 * the command id (stores are idempotent by it) and counts up {@code attempt}.
 */
@ApplicationScoped
public class CommandDispatcher {

    /** Used when a command's system left the data map (it cannot while commands are open, but be safe). */
    static final Duration FALLBACK_ACK_TIMEOUT = Duration.ofMinutes(5);

    @Inject
    SubjectCommandRepository commands;

    @Inject
    DataSystemRepository systems;

    @Inject
    Outbox outbox;

    @Inject
    EventCodec codec;

    @Inject
    Clock clock;

    @Inject
    RetentionConfig config;

    @Transactional(Transactional.TxType.MANDATORY)
    public SubjectCommand issue(CommandOrder order) {
        return issue(order, null);
    }

    /** A deferred ERASE of a completed request, issued by a release of legal holds ({@code releaseId}). */
    @Transactional(Transactional.TxType.MANDATORY)
    public SubjectCommand issueDeferred(CommandOrder order, UUID releaseId) {
        return issue(order, releaseId);
    }

    private SubjectCommand issue(CommandOrder order, UUID releaseId) {
        Instant now = clock.instant();
        PrivacyCommand command = commandOf(order, now);
        SubjectCommand row = newRow(order, command.commandId(), now);
        row.releaseId = releaseId;
        row.state = CommandState.SENT;
        row.attempts = command.attempt();
        row.nextAttemptAt = now.plusSeconds(order.system().ackTimeoutSeconds);
        row.payload = json(command);
        commands.persist(row);
        outbox.publish(order.tenantId(), order.recordKey(), command);
        return row;
    }

    /**
     * A system that needs identifiers the request lacks: nothing is sent, the command waits in
     * {@code action_required} with what is missing, and keeps its payload until {@link #issueWaiting} sends it.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public SubjectCommand recordWaiting(CommandOrder order, List<String> missingIdentifiers) {
        Instant now = clock.instant();
        PrivacyCommand command = commandOf(order, now);
        SubjectCommand row = newRow(order, command.commandId(), now);
        row.state = CommandState.ACTION_REQUIRED;
        row.missingIdentifiers = missingIdentifiers.toArray(String[]::new);
        row.attempts = 0;
        row.payload = json(command);
        commands.persist(row);
        return row;
    }

    /** Sends a waiting command, as first attempt, now that the request has what its system needs ({@code email}). */
    @Transactional(Transactional.TxType.MANDATORY)
    public void issueWaiting(SubjectCommand row, String email) {
        Instant now = clock.instant();
        PrivacyCommand waiting = read(row.payload);
        CommandSubject subject = new CommandSubject(waiting.subject().subjectId(),
                email != null ? email : waiting.subject().email());
        PrivacyCommand command = new PrivacyCommand(waiting.commandId(), waiting.kind(), waiting.tenantId(),
                waiting.targetSystem(), waiting.requestId(), subject, waiting.categories(), waiting.cutoff(),
                waiting.rectification(), now, waiting.deadline(), 1, waiting.decisionId());
        row.state = CommandState.SENT;
        row.missingIdentifiers = new String[0];
        row.attempts = command.attempt();
        row.nextAttemptAt = now.plus(ackTimeoutOf(row));
        row.payload = json(command);
        row.updatedAt = now;
        outbox.publish(row.tenantId, row.recordKey, command);
    }

    /** A system whose every category is under a legal hold: nothing is sent, the system counts as held. */
    @Transactional(Transactional.TxType.MANDATORY)
    public SubjectCommand recordHeld(CommandOrder order, String reason) {
        Instant now = clock.instant();
        SubjectCommand row = newRow(order, UUID.randomUUID().toString(), now);
        row.state = CommandState.HELD;
        row.outcome = AckOutcome.HELD;
        row.detail = reason;
        row.attempts = 0;
        row.completedAt = now;
        commands.persist(row);
        return row;
    }

    /** Sends the command again with the same id and the next attempt number. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void resend(SubjectCommand row) {
        Instant now = clock.instant();
        int attempt = row.attempts + 1;
        PrivacyCommand again = read(row.payload).withAttempt(attempt);
        row.attempts = attempt;
        row.state = CommandState.SENT;
        row.nextAttemptAt = now.plus(ackTimeoutOf(row));
        row.payload = json(again);
        row.updatedAt = now;
        outbox.publish(row.tenantId, row.recordKey, again);
    }

    /** Whom the stored command is about; null once its payload was cleared. */
    public CommandSubject subjectOf(SubjectCommand row) {
        return row.payload == null ? null : read(row.payload).subject();
    }

    private Duration ackTimeoutOf(SubjectCommand row) {
        DataSystem system = systems.findById(row.systemId);
        return system == null ? FALLBACK_ACK_TIMEOUT : Duration.ofSeconds(system.ackTimeoutSeconds);
    }

    private static PrivacyCommand commandOf(CommandOrder order, Instant now) {
        PrivacyCommand command = PrivacyCommand.of(order.kind(), order.tenantId(), order.system().id,
                order.requestId(), order.subject(), order.categories(), order.cutoff(), order.rectification(), now,
                order.deadline());
        return order.decisionId() == null ? command : command.withDecision(order.decisionId());
    }

    private SubjectCommand newRow(CommandOrder order, String commandId, Instant now) {
        SubjectCommand row = new SubjectCommand();
        row.commandId = commandId;
        row.requestId = order.requestId();
        row.policyRunId = order.policyRunId();
        row.tenantId = order.tenantId();
        row.systemId = order.system().id;
        row.kind = order.kind();
        row.categories = order.categories().toArray(String[]::new);
        row.heldCategories = order.heldCategories().toArray(String[]::new);
        row.missingIdentifiers = new String[0];
        row.retained = List.of();
        row.recordKey = order.recordKey();
        row.attemptBudget = config.commands().maxAttempts();
        row.records = 0;
        row.createdAt = now;
        row.updatedAt = now;
        return row;
    }

    private String json(PrivacyCommand command) {
        try {
            return codec.mapper().writeValueAsString(command);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write command " + command.commandId(), e);
        }
    }

    private PrivacyCommand read(String payload) {
        try {
            return codec.mapper().readValue(payload, PrivacyCommand.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot read a stored command", e);
        }
    }
}
