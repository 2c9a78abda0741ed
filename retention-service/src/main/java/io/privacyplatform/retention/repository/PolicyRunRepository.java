package io.privacyplatform.retention.repository;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import io.privacyplatform.retention.PolicyRun;
import io.privacyplatform.retention.RunTrigger;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;

/** Runs of retention policies: at most one per policy and schedule window. */
@ApplicationScoped
public class PolicyRunRepository implements PanacheRepositoryBase<PolicyRun, UUID> {

    /**
     * Claims the window for a run carrying out {@code decisionId}, with INSERT … ON CONFLICT, so that several
     * instances, the scheduler and a manual run never run a window twice. A window whose run sent nothing for want
     * of a decision ({@code action_required}, no decision) is taken over: the run goes on with this decision.
     * Returns the id of the claimed run, or empty when another run has the window.
     */
    public Optional<UUID> claim(UUID runId, String policyId, Instant windowStart, Instant cutoff, boolean perRecord,
            RunTrigger trigger, Instant now, UUID decisionId) {
        List<?> claimed = getEntityManager().createNativeQuery("INSERT INTO policy_run (id, policy_id, window_start,"
                + " cutoff, per_record, state, trigger, created_at, decision_id)"
                + " VALUES (?1, ?2, ?3, ?4, ?5, 'in_progress', ?6, ?7, ?8)"
                + " ON CONFLICT (policy_id, window_start) DO UPDATE SET cutoff = EXCLUDED.cutoff,"
                + " per_record = EXCLUDED.per_record, state = 'in_progress', trigger = EXCLUDED.trigger,"
                + " created_at = EXCLUDED.created_at, decision_id = EXCLUDED.decision_id, detail = NULL"
                + " WHERE policy_run.state = 'action_required' AND policy_run.decision_id IS NULL"
                + " RETURNING CAST(id AS text)")
                .setParameter(1, runId).setParameter(2, policyId).setParameter(3, windowStart)
                .setParameter(4, cutoff).setParameter(5, perRecord).setParameter(6, trigger.wire())
                .setParameter(7, now).setParameter(8, decisionId).getResultList();
        return claimed.isEmpty() ? Optional.empty() : Optional.of(UUID.fromString((String) claimed.get(0)));
    }

    /**
     * Records that the window's run sent nothing because no decision is in force ({@code action_required} with
     * {@code detail}), unless the window has a run; returns whether this call recorded it. A later run with a
     * decision in the same window takes the row over ({@link #claim}).
     */
    public boolean recordUndecided(UUID runId, String policyId, Instant windowStart, Instant cutoff,
            boolean perRecord, RunTrigger trigger, Instant now, String detail) {
        return getEntityManager().createNativeQuery("INSERT INTO policy_run (id, policy_id, window_start, cutoff,"
                + " per_record, state, trigger, created_at, detail)"
                + " VALUES (?1, ?2, ?3, ?4, ?5, 'action_required', ?6, ?7, ?8)"
                + " ON CONFLICT (policy_id, window_start) DO NOTHING")
                .setParameter(1, runId).setParameter(2, policyId).setParameter(3, windowStart)
                .setParameter(4, cutoff).setParameter(5, perRecord).setParameter(6, trigger.wire())
                .setParameter(7, now).setParameter(8, detail).executeUpdate() == 1;
    }

    public PolicyRun ofWindow(String policyId, Instant windowStart) {
        return find("policyId = ?1 and windowStart = ?2", policyId, windowStart).firstResult();
    }

    /** Locks the run's row; with {@code skipLocked}, returns false instead of waiting for another holder. */
    public boolean lockRow(UUID runId, boolean skipLocked) {
        return !getEntityManager().createNativeQuery("SELECT 1 FROM policy_run WHERE id = ?1 FOR UPDATE"
                + (skipLocked ? " SKIP LOCKED" : "")).setParameter(1, runId).getResultList().isEmpty();
    }
}
