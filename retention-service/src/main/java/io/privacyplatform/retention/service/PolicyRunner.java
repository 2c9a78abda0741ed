package io.privacyplatform.retention.service;

import java.time.Clock;
import java.time.Instant;
import java.time.Period;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.jboss.logging.Logger;

import io.privacyplatform.events.payload.CommandKind;
import io.privacyplatform.retention.DataSystem;
import io.privacyplatform.retention.PolicyRun;
import io.privacyplatform.retention.ProgressState;
import io.privacyplatform.retention.PurgeDecision;
import io.privacyplatform.retention.RetentionPolicy;
import io.privacyplatform.retention.RunTrigger;
import io.privacyplatform.retention.SubjectCommand;
import io.privacyplatform.retention.repository.DataSystemRepository;
import io.privacyplatform.retention.repository.LegalHoldRepository;
import io.privacyplatform.retention.repository.PolicyRunRepository;
import io.privacyplatform.retention.repository.SubjectCommandRepository;
import io.privacyplatform.support.auth.Caller;
import io.privacyplatform.support.error.ApiException;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

/**
 * Runs retention policies: one run per policy and schedule window ({@code window_start = floor(now / period)}),
 * claimed with INSERT … ON CONFLICT DO NOTHING so that several instances, the scheduler and a manual run never run
 * a window twice. A run sends one PURGE per system holding the policy's category (and able to purge), for every
 * account (tenant {@code platform}, key {@code platform}), with {@code cutoff = now − retain}; for
 * {@code per_record} policies {@code cutoff = now}: the store deletes what is past its own recorded expiry. While a
 * legal hold in force (any tenant) covers the category, the run sends nothing for it: each system is recorded
 * {@code held} (the run lists them in {@code held}). Because a PURGE of every account can wipe every tenant's data,
 * a run sends only under a platform admin's recorded decision for the policy's current definition
 * ({@link RetentionPolicies#approve}); its commands carry the decision id, and without one nothing is sent.
 */
@ApplicationScoped
public class PolicyRunner {

    private static final Logger LOG = Logger.getLogger(PolicyRunner.class);

    /** The reason a run without a decision states. */
    public static final String NO_DECISION = "no platform-admin decision approves this policy's current definition:"
            + " nothing purged";

    @Inject
    RetentionPolicies policies;

    @Inject
    PolicyRunRepository runs;

    @Inject
    SubjectCommandRepository commands;

    @Inject
    CommandDispatcher dispatcher;

    @Inject
    CommandTracker tracker;

    @Inject
    DataSystemRepository systems;

    @Inject
    LegalHoldRepository holds;

    @Inject
    Clock clock;

    /** The run of the current window and whether this call created it. */
    public record RunResult(PolicyRun run, List<SubjectCommand> commands, boolean created) {
    }

    @Transactional
    public RunResult run(String policyId, RunTrigger trigger) {
        // Share-locked: a change (which voids the decision) or a new decision waits until this run committed.
        RetentionPolicy policy = policies.lockForRun(policyId);
        // Whole seconds: the cutoff travels in the command and is stored, and reads the same in both.
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        long period = policy.scheduleSeconds;
        Instant windowStart = Instant.ofEpochSecond(Math.floorDiv(now.getEpochSecond(), period) * period);
        Instant cutoff = policy.perRecord() ? now
                : now.atOffset(ZoneOffset.UTC).minus(Period.parse(policy.retain)).toInstant();
        Optional<PurgeDecision> decision = policies.decisionFor(policy);
        if (decision.isEmpty()) {
            return undecided(policy, trigger, windowStart, cutoff, now);
        }
        Optional<UUID> claimed = runs.claim(UUID.randomUUID(), policyId, windowStart, cutoff, policy.perRecord(),
                trigger, now, decision.get().id);
        if (claimed.isEmpty()) {
            PolicyRun existing = runs.ofWindow(policyId, windowStart);
            return new RunResult(existing, commands.ofRun(existing.id), false);
        }
        UUID runId = claimed.get();
        PolicyRun run = runs.findById(runId);
        List<String> only = List.of(policy.systems);
        // A PURGE cuts every account's data by age; it cannot spare the subjects under a hold. So while any hold in
        // force covers the category, nothing of it is purged: each system is recorded as held, and the next run
        // after the holds end purges everything past the cutoff then.
        boolean held = holds.anyActiveFor(policy.category, now);
        for (DataSystem system : systems.holding(policy.category, "purge")) {
            if (!only.isEmpty() && !only.contains(system.id)) {
                continue;
            }
            CommandOrder order = new CommandOrder(null, run.id, Caller.PLATFORM_TENANT, Caller.PLATFORM_TENANT,
                    system, CommandKind.PURGE, held ? List.of() : List.of(policy.category),
                    held ? List.of(policy.category) : List.of(), null, Map.of(), cutoff,
                    now.plusSeconds(system.ackTimeoutSeconds), decision.get().id.toString());
            if (held) {
                dispatcher.recordHeld(order, "legal hold in force on " + policy.category + ": not purged");
            } else {
                dispatcher.issue(order);
            }
        }
        List<SubjectCommand> issued = commands.ofRun(run.id);
        if (issued.stream().allMatch(SubjectCommand::finished)) {
            run.state = ProgressState.COMPLETED;
            run.completedAt = now;
        }
        LOG.infof("policy %s (%s): window %s, %d PURGE commands, cutoff %s, decision %s", policyId, trigger.wire(),
                windowStart, issued.size(), cutoff, decision.get().id);
        return new RunResult(run, issued, true);
    }

    /**
     * No platform-admin decision approves the policy's current definition, so nothing is sent. A manual run is
     * refused (409 {@code purge_decision_required}, nothing stored). A scheduled run records the window's run as
     * {@code action_required} with the reason, once per window, and logs it; a decision recorded later in the
     * window lets the next check take that run over and send.
     */
    private RunResult undecided(RetentionPolicy policy, RunTrigger trigger, Instant windowStart, Instant cutoff,
            Instant now) {
        if (trigger == RunTrigger.MANUAL) {
            throw ApiException.conflict("purge_decision_required", "policy " + policy.id + " purges every account;"
                    + " it runs only with a platform admin's decision for its current definition"
                    + " (POST /v1/policies/" + policy.id + "/approval)");
        }
        if (runs.recordUndecided(UUID.randomUUID(), policy.id, windowStart, cutoff, policy.perRecord(), trigger,
                now, NO_DECISION)) {
            LOG.warnf("policy %s: window %s, no PURGE sent: %s (approve it with POST /v1/policies/%s/approval)",
                    policy.id, windowStart, NO_DECISION, policy.id);
        }
        PolicyRun run = runs.ofWindow(policy.id, windowStart);
        return new RunResult(run, commands.ofRun(run.id), false);
    }

    /** The scheduler's pass: every policy whose current window has not run yet runs now, each in its own transaction. */
    public int runDue() {
        List<String> ids = QuarkusTransaction.requiringNew().call(
                () -> policies.all().stream().map(p -> p.id).toList());
        int ran = 0;
        for (String id : ids) {
            try {
                ran += run(id, RunTrigger.SCHEDULE).created() ? 1 : 0;
            } catch (RuntimeException e) {
                LOG.errorf("scheduled run of policy %s failed: %s", id, e.getClass().getName());
            }
        }
        return ran;
    }
}
