package io.privacyplatform.retention.service;

import java.time.Clock;
import java.time.Instant;
import java.time.Period;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.jboss.logging.Logger;

import io.privacyplatform.events.payload.CommandKind;
import io.privacyplatform.retention.DataSystem;
import io.privacyplatform.retention.PolicyRun;
import io.privacyplatform.retention.RetentionPolicy;
import io.privacyplatform.retention.SubjectCommand;
import io.privacyplatform.retention.repository.DataSystemRepository;
import io.privacyplatform.support.auth.Caller;
import io.privacyplatform.support.error.ApiException;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

/**
 * Runs retention policies: one run per policy and schedule window ({@code window_start = floor(now / period)}),
 * claimed with INSERT … ON CONFLICT DO NOTHING so that several instances, the scheduler and a manual run never run
 * a window twice. A run sends one PURGE per system holding the policy's category (and able to purge), for every
 * account (tenant {@code platform}, key {@code platform}), with {@code cutoff = now − retain}; for
 * {@code per_record} policies {@code cutoff = now}: the store deletes what is past its own recorded expiry.
 */
@ApplicationScoped
public class PolicyRunner {

    private static final Logger LOG = Logger.getLogger(PolicyRunner.class);

    @Inject
    EntityManager entityManager;

    @Inject
    CommandDispatcher dispatcher;

    @Inject
    CommandTracker tracker;

    @Inject
    DataSystemRepository systems;

    @Inject
    Clock clock;

    /** The run of the current window and whether this call created it. */
    public record RunResult(PolicyRun run, List<SubjectCommand> commands, boolean created) {
    }

    @Transactional
    public RunResult run(String policyId, String trigger) {
        RetentionPolicy policy = RetentionPolicy.findById(policyId);
        if (policy == null) {
            throw ApiException.notFound("policy");
        }
        // Whole seconds: the cutoff travels in the command and is stored, and reads the same in both.
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        long period = policy.scheduleSeconds;
        Instant windowStart = Instant.ofEpochSecond(Math.floorDiv(now.getEpochSecond(), period) * period);
        Instant cutoff = policy.perRecord() ? now
                : now.atOffset(ZoneOffset.UTC).minus(Period.parse(policy.retain)).toInstant();
        UUID runId = UUID.randomUUID();
        int claimed = entityManager.createNativeQuery("INSERT INTO policy_run (id, policy_id, window_start, cutoff,"
                + " per_record, state, trigger, created_at) VALUES (?1, ?2, ?3, ?4, ?5, 'in_progress', ?6, ?7)"
                + " ON CONFLICT (policy_id, window_start) DO NOTHING")
                .setParameter(1, runId).setParameter(2, policyId).setParameter(3, windowStart)
                .setParameter(4, cutoff).setParameter(5, policy.perRecord()).setParameter(6, trigger)
                .setParameter(7, now).executeUpdate();
        if (claimed == 0) {
            PolicyRun existing = PolicyRun.find("policyId = ?1 and windowStart = ?2", policyId, windowStart)
                    .firstResult();
            return new RunResult(existing, commandsOf(existing), false);
        }
        PolicyRun run = PolicyRun.findById(runId);
        List<String> only = List.of(policy.systems);
        for (DataSystem system : systems.holding(policy.category, "purge")) {
            if (!only.isEmpty() && !only.contains(system.id)) {
                continue;
            }
            dispatcher.issue(new CommandOrder(null, run.id, Caller.PLATFORM_TENANT, Caller.PLATFORM_TENANT, system,
                    CommandKind.PURGE, List.of(policy.category), List.of(), null, Map.of(), cutoff,
                    now.plusSeconds(system.ackTimeoutSeconds)));
        }
        List<SubjectCommand> commands = commandsOf(run);
        if (commands.isEmpty()) {
            run.state = "completed";
            run.completedAt = now;
        }
        LOG.infof("policy %s (%s): window %s, %d PURGE commands, cutoff %s", policyId, trigger, windowStart,
                commands.size(), cutoff);
        return new RunResult(run, commands, true);
    }

    /** The scheduler's pass: every policy whose current window has not run yet runs now, each in its own transaction. */
    public int runDue() {
        List<String> ids = QuarkusTransaction.requiringNew().call(
                () -> RetentionPolicy.<RetentionPolicy>listAll().stream().map(p -> p.id).toList());
        int ran = 0;
        for (String id : ids) {
            try {
                ran += run(id, "schedule").created() ? 1 : 0;
            } catch (RuntimeException e) {
                LOG.errorf("scheduled run of policy %s failed: %s", id, e.getClass().getName());
            }
        }
        return ran;
    }

    public static List<SubjectCommand> commandsOf(PolicyRun run) {
        return SubjectCommand.list("policyRunId = ?1 order by systemId", run.id);
    }
}
