package io.privacyplatform.retention.service;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jboss.logging.Logger;

import io.privacyplatform.events.payload.AckOutcome;
import io.privacyplatform.events.payload.CommandAck;
import io.privacyplatform.events.payload.CommandKind;
import io.privacyplatform.events.payload.Notification;
import io.privacyplatform.events.payload.RequestProgress;
import io.privacyplatform.retention.CommandState;
import io.privacyplatform.retention.PolicyRun;
import io.privacyplatform.retention.ProgressState;
import io.privacyplatform.retention.RightsRequest;
import io.privacyplatform.retention.SubjectCommand;
import io.privacyplatform.retention.config.RetentionConfig;
import io.privacyplatform.retention.mapping.CommandMapper;
import io.privacyplatform.retention.repository.PolicyRunRepository;
import io.privacyplatform.retention.repository.RightsRequestRepository;
import io.privacyplatform.retention.repository.SubjectCommandRepository;
import io.privacyplatform.support.error.ApiException;
import io.privacyplatform.support.outbox.Outbox;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

/**
 * Follows every command to its end: acks, timeouts, retries, stuck systems, and the completion of the request or
 * policy run it belongs to.
 * <p>
 * Every change takes the row lock of the command's parent (the rights request or the policy run) first, then the
 * command's: ack handling, the sweep and redrives of one request are serialised (so its progress events are written
 * in order and its completion is decided once), and they always lock in the same order, so they cannot deadlock.
 */
@ApplicationScoped
public class CommandTracker {

    private static final Logger LOG = Logger.getLogger(CommandTracker.class);

    @Inject
    SubjectCommandRepository commands;

    @Inject
    RightsRequestRepository requests;

    @Inject
    PolicyRunRepository runs;

    @Inject
    CommandDispatcher dispatcher;

    @Inject
    DeletionCertificates certificates;

    @Inject
    DeferredErasures deferredErasures;

    @Inject
    Outbox outbox;

    @Inject
    Clock clock;

    @Inject
    RetentionConfig config;

    @Inject
    AckBacklog ackBacklog;

    public record RequestWithCommands(RightsRequest request, List<SubjectCommand> commands) {
    }

    /**
     * A store's answer. Unknown commands, answers from a system that was not asked (or naming another tenant or
     * request) and answers to a command that was never sent are logged and ignored. A multi-part EXPORT counts once:
     * its first part answers the command, the others find it finished.
     */
    @Transactional
    public void onAck(CommandAck ack) {
        SubjectCommand known = commands.findById(ack.commandId());
        if (known == null) {
            LOG.warnf("ignoring ack for unknown command %s from %s", ack.commandId(), ack.system());
            return;
        }
        lockParent(known, false);
        SubjectCommand command = commands.lock(ack.commandId());
        if (!command.systemId.equals(ack.system())
                || ack.tenantId() != null && !ack.tenantId().equals(command.tenantId)
                || ack.requestId() != null && !ack.requestId().equals(command.requestId)) {
            LOG.warnf("ignoring ack for command %s from %s: the command went to %s", ack.commandId(), ack.system(),
                    command.systemId);
            return;
        }
        if (command.state == CommandState.ACTION_REQUIRED) {
            // Never sent: no store can have answered it.
            LOG.warnf("ignoring ack for command %s from %s: it was not sent", ack.commandId(), ack.system());
            return;
        }
        if (command.finished()) {
            // A repeated answer, or a further part of a multi-part EXPORT: the command was answered by the first.
            LOG.debugf("ignoring repeated ack for finished command %s (part %s)", command.commandId, ack.part());
            return;
        }
        Instant now = clock.instant();
        command.updatedAt = now;
        command.outcome = ack.outcome();
        command.detail = truncate(ack.detail());
        switch (ack.outcome()) {
            case DONE, NOT_FOUND -> {
                command.state = CommandState.DONE;
                command.records = ack.records();
                command.digest = ack.digest();
                command.completedAt = ack.completedAt();
                command.nextAttemptAt = null;
                command.retained = ack.retained();
            }
            case HELD -> {
                command.state = CommandState.HELD;
                command.records = ack.records();
                command.digest = ack.digest();
                command.completedAt = ack.completedAt();
                command.nextAttemptAt = null;
                command.retained = ack.retained();
            }
            case FAILED -> {
                if (command.state == CommandState.STUCK) {
                    // Already stuck and alerted: only an operator's redrive starts another round. No state change.
                    LOG.infof("command %s to %s: FAILED while stuck", command.commandId, command.systemId);
                    return;
                } else if (command.attempts >= command.attemptBudget) {
                    markStuck(command, now);
                } else {
                    command.state = CommandState.RETRY;
                    command.nextAttemptAt = now.plus(backoff(command.attempts));
                }
            }
        }
        LOG.infof("command %s (%s) to %s: %s", command.commandId, command.kind, command.systemId, ack.outcome());
        settle(command);
    }

    /**
     * Re-sends every command whose ack is overdue (or whose retry is due), and marks stuck those that used every
     * attempt. Each command is handled in its own transaction; a parent locked by another instance is skipped
     * (FOR UPDATE SKIP LOCKED) and taken by the next sweep. Returns how many commands were re-sent or marked stuck.
     * <p>
     * While this service is behind on its own outbox or ack consumer ({@link AckBacklog}), an ack counts as overdue
     * only {@code retention.commands.ack-lag-grace} after its timeout: the answer is probably among the unread acks.
     * Retries after a FAILED ack are not about a missing answer and stay on time.
     */
    public int sweep() {
        Instant ackClock = ackBacklog.ackClock(config.commands().ackLagGrace());
        if (ackClock.isBefore(clock.instant())) {
            LOG.debugf("sweep: acks or commands are waiting in this service's own backlog; acks count as overdue"
                    + " %s after their timeout", config.commands().ackLagGrace());
        }
        return sweep(ackClock);
    }

    /** The sweep with acks counted as overdue when their time is before {@code ackClock}. */
    int sweep(Instant ackClock) {
        Instant now = clock.instant();
        List<String> due = QuarkusTransaction.requiringNew()
                .call(() -> commands.dueIds(now, ackClock, config.commands().sweepBatch()));
        int handled = 0;
        for (String commandId : due) {
            try {
                if (QuarkusTransaction.requiringNew().call(() -> sweepOne(commandId, now, ackClock))) {
                    handled++;
                }
            } catch (RuntimeException e) {
                LOG.errorf("sweep of command %s failed: %s", commandId, e.getClass().getName());
            }
        }
        return handled;
    }

    private boolean sweepOne(String commandId, Instant now, Instant ackClock) {
        SubjectCommand known = commands.findById(commandId);
        if (known == null || !lockParent(known, true)) {
            return false;
        }
        SubjectCommand command = commands.lock(commandId);
        boolean stillDue = command.nextAttemptAt != null
                && (command.state == CommandState.SENT && !command.nextAttemptAt.isAfter(ackClock)
                        || command.state == CommandState.RETRY && !command.nextAttemptAt.isAfter(now));
        if (!stillDue) {
            return false;
        }
        if (command.attempts >= command.attemptBudget) {
            markStuck(command, now);
            settle(command);
        } else {
            boolean wasRetry = command.state == CommandState.RETRY;
            dispatcher.resend(command);
            LOG.infof("re-sent command %s to %s (attempt %d)", command.commandId, command.systemId,
                    command.attempts);
            if (wasRetry) {
                settle(command);
            }
        }
        return true;
    }

    /** An operator's re-send of a stuck or failed command, with the same id and a fresh round of attempts. */
    @Transactional
    public SubjectCommand redrive(String tenantId, String commandId) {
        SubjectCommand known = commands.findById(commandId);
        if (known == null || !known.tenantId.equals(tenantId)) {
            throw ApiException.notFound("command");
        }
        lockParent(known, false);
        SubjectCommand command = commands.lock(commandId);
        if (command.state != CommandState.STUCK && command.state != CommandState.RETRY) {
            throw ApiException.conflict("command_not_redrivable",
                    "only a stuck or failed command can be redriven; this one is " + command.state.wire());
        }
        command.attemptBudget = command.attempts + config.commands().maxAttempts();
        dispatcher.resend(command);
        settle(command);
        return command;
    }

    private void markStuck(SubjectCommand command, Instant now) {
        command.state = CommandState.STUCK;
        command.nextAttemptAt = null;
        command.updatedAt = now;
        LOG.warnf("command %s to %s is stuck after %d attempts", command.commandId, command.systemId,
                command.attempts);
        Map<String, String> params = new LinkedHashMap<>();
        params.put("system", command.systemId);
        params.put("commandId", command.commandId);
        params.put("kind", command.kind.name());
        params.put("attempts", Integer.toString(command.attempts));
        if (command.policyRunId != null) {
            params.put("policyRunId", command.policyRunId.toString());
        }
        Notification alert = Notification.forOperators(Notification.STORE_STUCK, command.tenantId, command.requestId,
                params, now);
        outbox.publish(command.tenantId, command.tenantId, alert);
    }

    /** Publishes the parent's new progress; completes it, once, when every system finished. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void settle(SubjectCommand changed) {
        if (changed.releaseId != null) {
            deferredErasures.settle(changed); // a deferred erasure of a completed request: its own amendment
        } else if (changed.requestId != null) {
            settleRequest(requests.findById(changed.requestId));
        } else {
            settleRun(runs.findById(changed.policyRunId));
        }
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void settleRequest(RightsRequest request) {
        commands.flush();
        List<SubjectCommand> ofRequest = commands.ofRequest(request.requestId);
        // Nothing addressed is nothing done: an operator decides what happens, it is never "completed".
        ProgressState state = ofRequest.isEmpty() ? ProgressState.ACTION_REQUIRED : stateOf(ofRequest);
        Instant now = clock.instant();
        if (state == ProgressState.COMPLETED) {
            if (!requests.completeOnce(request, now)) {
                return;
            }
            boolean lifted = ofRequest.stream().anyMatch(c -> c.kind == CommandKind.LIFT_RESTRICTION);
            for (SubjectCommand command : ofRequest) {
                if (lifted || !keepsSubject(request, command)) {
                    command.payload = null; // the subject's id and address are no longer needed
                }
            }
            if (RightsRequest.ERASURE.equals(request.type)) {
                certificates.issue(request, ofRequest);
                // A hold that ended while the request was still running: its deferred erasure goes out now.
                deferredErasures.release(request, now);
            }
            LOG.infof("request %s completed", request.requestId);
        } else {
            request.state = state;
        }
        String reason = state == ProgressState.ACTION_REQUIRED ? actionReason(ofRequest) : null;
        outbox.publish(request.tenantId, request.subjectPseudonym, new RequestProgress(request.requestId,
                request.tenantId, state.wire(), CommandMapper.progressOf(ofRequest), now, reason));
    }

    /** A restriction's RESTRICT keeps its subject until it is lifted: LIFT_RESTRICTION must reach the same data. */
    private static boolean keepsSubject(RightsRequest request, SubjectCommand command) {
        return RightsRequest.RESTRICTION.equals(request.type) && command.kind == CommandKind.RESTRICT;
    }

    /** Why the request waits for an operator: no system addressed, or what each waiting system lacks. */
    static String actionReason(List<SubjectCommand> commands) {
        List<String> waiting = commands.stream().filter(c -> c.state == CommandState.ACTION_REQUIRED)
                .map(c -> "system " + c.systemId + " needs " + String.join(", ", c.missingIdentifiers)
                        + ", which the request lacks")
                .toList();
        return waiting.isEmpty() ? RequestProgress.NO_SYSTEM : String.join("; ", waiting);
    }

    private void settleRun(PolicyRun run) {
        commands.flush();
        ProgressState state = stateOf(commands.ofRun(run.id));
        if (state == ProgressState.COMPLETED && run.completedAt == null) {
            run.completedAt = clock.instant();
        }
        run.state = state;
    }

    /**
     * completed when every system finished; failed when a system gave up; action_required when a system waits for
     * an identifier the request lacks; stuck when a system stopped answering; in_progress otherwise.
     */
    public static ProgressState stateOf(List<SubjectCommand> commands) {
        boolean allFinished = true;
        boolean stuck = false;
        boolean failed = false;
        boolean waiting = false;
        for (SubjectCommand command : commands) {
            allFinished &= command.finished();
            waiting |= command.state == CommandState.ACTION_REQUIRED;
            if (command.state == CommandState.STUCK) {
                stuck = true;
                failed |= command.outcome == AckOutcome.FAILED;
            }
        }
        if (allFinished) {
            return ProgressState.COMPLETED;
        }
        if (failed) {
            return ProgressState.FAILED;
        }
        if (waiting) {
            return ProgressState.ACTION_REQUIRED;
        }
        return stuck ? ProgressState.STUCK : ProgressState.IN_PROGRESS;
    }

    /** The request of the caller's tenant (404 for another tenant's) with its commands, one per system. */
    public RequestWithCommands requestCommands(String tenantId, String requestId) {
        RightsRequest request = requests.findById(requestId);
        if (request == null || !request.tenantId.equals(tenantId)) {
            throw ApiException.notFound("request");
        }
        List<SubjectCommand> all = commands.ofRequest(requestId);
        all.addAll(commands.deferredOf(requestId));
        return new RequestWithCommands(request, all);
    }

    /** Locks the command's parent row; with {@code skipLocked}, returns false instead of waiting for another. */
    private boolean lockParent(SubjectCommand command, boolean skipLocked) {
        return command.requestId != null ? requests.lockRow(command.requestId, skipLocked)
                : runs.lockRow(command.policyRunId, skipLocked);
    }

    private Duration backoff(int attempts) {
        Duration base = config.commands().retryBackoff();
        Duration delay = base.multipliedBy(1L << Math.min(20, Math.max(0, attempts - 1)));
        return delay.compareTo(config.commands().maxBackoff()) > 0 ? config.commands().maxBackoff() : delay;
    }

    private static String truncate(String detail) {
        return detail == null || detail.length() <= 1000 ? detail : detail.substring(0, 1000);
    }
}
