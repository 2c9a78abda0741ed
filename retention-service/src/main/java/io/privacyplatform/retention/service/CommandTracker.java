package io.privacyplatform.retention.service;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.jboss.logging.Logger;

import io.privacyplatform.events.payload.AckOutcome;
import io.privacyplatform.events.payload.CommandAck;
import io.privacyplatform.events.payload.Notification;
import io.privacyplatform.events.payload.RequestProgress;
import io.privacyplatform.retention.PolicyRun;
import io.privacyplatform.retention.RightsRequest;
import io.privacyplatform.retention.SubjectCommand;
import io.privacyplatform.retention.config.RetentionConfig;
import io.privacyplatform.retention.mapping.CommandMapper;
import io.privacyplatform.support.error.ApiException;
import io.privacyplatform.support.outbox.Outbox;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
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
    EntityManager entityManager;

    @Inject
    CommandDispatcher dispatcher;

    @Inject
    DeletionCertificates certificates;

    @Inject
    Outbox outbox;

    @Inject
    Clock clock;

    @Inject
    RetentionConfig config;

    /** A store's answer. Unknown commands and answers from a system that was not asked are logged and ignored. */
    @Transactional
    public void onAck(CommandAck ack) {
        SubjectCommand known = SubjectCommand.findById(ack.commandId());
        if (known == null) {
            LOG.warnf("ignoring ack for unknown command %s from %s", ack.commandId(), ack.system());
            return;
        }
        lockParent(known, false);
        SubjectCommand command = entityManager.find(SubjectCommand.class, ack.commandId(),
                LockModeType.PESSIMISTIC_WRITE);
        entityManager.refresh(command);
        if (!command.systemId.equals(ack.system())
                || ack.tenantId() != null && !ack.tenantId().equals(command.tenantId)) {
            LOG.warnf("ignoring ack for command %s from %s: the command went to %s", ack.commandId(), ack.system(),
                    command.systemId);
            return;
        }
        if (command.finished()) {
            LOG.debugf("ignoring repeated ack for finished command %s", command.commandId);
            return;
        }
        Instant now = clock.instant();
        command.updatedAt = now;
        command.outcome = ack.outcome().name();
        command.detail = truncate(ack.detail());
        switch (ack.outcome()) {
            case DONE, NOT_FOUND -> {
                command.state = SubjectCommand.DONE;
                command.records = ack.records();
                command.digest = ack.digest();
                command.completedAt = ack.completedAt();
                command.nextAttemptAt = null;
            }
            case HELD -> {
                command.state = SubjectCommand.HELD;
                command.records = ack.records();
                command.digest = ack.digest();
                command.completedAt = ack.completedAt();
                command.nextAttemptAt = null;
            }
            case FAILED -> {
                if (SubjectCommand.STUCK.equals(command.state)) {
                    // Already stuck and alerted: only an operator's redrive starts another round. No state change.
                    LOG.infof("command %s to %s: FAILED while stuck", command.commandId, command.systemId);
                    return;
                } else if (command.attempts >= command.attemptBudget) {
                    markStuck(command, now);
                } else {
                    command.state = SubjectCommand.RETRY;
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
     */
    public int sweep() {
        Instant now = clock.instant();
        @SuppressWarnings("unchecked")
        List<String> due = QuarkusTransaction.requiringNew().call(() -> entityManager.createNativeQuery(
                "SELECT command_id FROM subject_command WHERE state IN ('sent', 'retry') AND next_attempt_at <= ?1"
                        + " ORDER BY next_attempt_at LIMIT ?2")
                .setParameter(1, now).setParameter(2, config.commands().sweepBatch()).getResultList());
        int handled = 0;
        for (String commandId : due) {
            try {
                if (QuarkusTransaction.requiringNew().call(() -> sweepOne(commandId, now))) {
                    handled++;
                }
            } catch (RuntimeException e) {
                LOG.errorf("sweep of command %s failed: %s", commandId, e.getClass().getName());
            }
        }
        return handled;
    }

    private boolean sweepOne(String commandId, Instant now) {
        SubjectCommand known = SubjectCommand.findById(commandId);
        if (known == null || !lockParent(known, true)) {
            return false;
        }
        SubjectCommand command = entityManager.find(SubjectCommand.class, commandId, LockModeType.PESSIMISTIC_WRITE);
        entityManager.refresh(command);
        boolean stillDue = (SubjectCommand.SENT.equals(command.state) || SubjectCommand.RETRY.equals(command.state))
                && command.nextAttemptAt != null && !command.nextAttemptAt.isAfter(now);
        if (!stillDue) {
            return false;
        }
        if (command.attempts >= command.attemptBudget) {
            markStuck(command, now);
            settle(command);
        } else {
            boolean wasRetry = SubjectCommand.RETRY.equals(command.state);
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
        SubjectCommand known = SubjectCommand.findById(commandId);
        if (known == null || !known.tenantId.equals(tenantId)) {
            throw ApiException.notFound("command");
        }
        lockParent(known, false);
        SubjectCommand command = entityManager.find(SubjectCommand.class, commandId, LockModeType.PESSIMISTIC_WRITE);
        entityManager.refresh(command);
        if (!SubjectCommand.STUCK.equals(command.state) && !SubjectCommand.RETRY.equals(command.state)) {
            throw ApiException.conflict("command_not_redrivable",
                    "only a stuck or failed command can be redriven; this one is " + command.state);
        }
        command.attemptBudget = command.attempts + config.commands().maxAttempts();
        dispatcher.resend(command);
        settle(command);
        return command;
    }

    private void markStuck(SubjectCommand command, Instant now) {
        command.state = SubjectCommand.STUCK;
        command.nextAttemptAt = null;
        command.updatedAt = now;
        LOG.warnf("command %s to %s is stuck after %d attempts", command.commandId, command.systemId,
                command.attempts);
        Map<String, String> params = new java.util.LinkedHashMap<>();
        params.put("system", command.systemId);
        params.put("commandId", command.commandId);
        params.put("kind", command.kind);
        params.put("attempts", Integer.toString(command.attempts));
        if (command.policyRunId != null) {
            params.put("policyRunId", command.policyRunId.toString());
        }
        Notification alert = new Notification(UUID.randomUUID().toString(), command.tenantId,
                Notification.STORE_STUCK, null, null, command.requestId, params, now);
        outbox.publish(command.tenantId, command.tenantId, alert);
    }

    /** Publishes the parent's new progress; completes it, once, when every system finished. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void settle(SubjectCommand changed) {
        if (changed.requestId != null) {
            settleRequest(RightsRequest.findById(changed.requestId));
        } else {
            settleRun(PolicyRun.findById(changed.policyRunId));
        }
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void settleRequest(RightsRequest request) {
        entityManager.flush();
        List<SubjectCommand> commands = commandsOf(request.requestId);
        String state = stateOf(commands);
        Instant now = clock.instant();
        if (RequestProgress.COMPLETED.equals(state)) {
            // The guard makes completion (certificate, completed event) happen once, however many acks race here.
            int completed = entityManager.createNativeQuery("UPDATE rights_request SET state = 'completed',"
                    + " completed_at = ?2 WHERE request_id = ?1 AND state <> 'completed'")
                    .setParameter(1, request.requestId).setParameter(2, now).executeUpdate();
            if (completed == 0) {
                return;
            }
            entityManager.refresh(request);
            for (SubjectCommand command : commands) {
                command.payload = null; // the subject's id and address are no longer needed
            }
            if (RightsRequest.ERASURE.equals(request.type)) {
                certificates.issue(request, commands);
            }
            LOG.infof("request %s completed", request.requestId);
        } else {
            request.state = state;
        }
        outbox.publish(request.tenantId, request.subjectPseudonym, new RequestProgress(request.requestId,
                request.tenantId, state, CommandMapper.progressOf(commands), now));
    }

    private void settleRun(PolicyRun run) {
        entityManager.flush();
        List<SubjectCommand> commands = SubjectCommand.list("policyRunId = ?1 order by systemId", run.id);
        String state = stateOf(commands);
        if (RequestProgress.COMPLETED.equals(state) && run.completedAt == null) {
            run.completedAt = clock.instant();
        }
        run.state = state;
    }

    /** completed when every system finished; failed/stuck when a system gave up; in_progress otherwise. */
    public static String stateOf(List<SubjectCommand> commands) {
        boolean allFinished = true;
        boolean stuck = false;
        boolean failed = false;
        for (SubjectCommand command : commands) {
            allFinished &= command.finished();
            if (SubjectCommand.STUCK.equals(command.state)) {
                stuck = true;
                failed |= AckOutcome.FAILED.name().equals(command.outcome);
            }
        }
        if (allFinished) {
            return RequestProgress.COMPLETED;
        }
        if (failed) {
            return RequestProgress.FAILED;
        }
        return stuck ? RequestProgress.STUCK : RequestProgress.IN_PROGRESS;
    }

    public static List<SubjectCommand> commandsOf(String requestId) {
        return new ArrayList<>(SubjectCommand.<SubjectCommand>list("requestId = ?1 order by systemId", requestId));
    }

    /** Locks the command's parent row; with {@code skipLocked}, returns false instead of waiting for another. */
    private boolean lockParent(SubjectCommand command, boolean skipLocked) {
        String sql = command.requestId != null
                ? "SELECT 1 FROM rights_request WHERE request_id = ?1 FOR UPDATE"
                : "SELECT 1 FROM policy_run WHERE id = ?1 FOR UPDATE";
        Object id = command.requestId != null ? command.requestId : command.policyRunId;
        return !entityManager.createNativeQuery(sql + (skipLocked ? " SKIP LOCKED" : ""))
                .setParameter(1, id).getResultList().isEmpty();
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
