package io.privacyplatform.retention.repository;

import java.time.Instant;
import java.util.UUID;

import io.privacyplatform.retention.PolicyRun;
import io.privacyplatform.retention.RunTrigger;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;

/** Runs of retention policies: at most one per policy and schedule window. */
@ApplicationScoped
public class PolicyRunRepository implements PanacheRepositoryBase<PolicyRun, UUID> {

    /**
     * Claims the window with INSERT … ON CONFLICT DO NOTHING, so that several instances, the scheduler and a manual
     * run never run a window twice; returns whether this call claimed it.
     */
    public boolean claim(UUID runId, String policyId, Instant windowStart, Instant cutoff, boolean perRecord,
            RunTrigger trigger, Instant now) {
        return getEntityManager().createNativeQuery("INSERT INTO policy_run (id, policy_id, window_start, cutoff,"
                + " per_record, state, trigger, created_at) VALUES (?1, ?2, ?3, ?4, ?5, 'in_progress', ?6, ?7)"
                + " ON CONFLICT (policy_id, window_start) DO NOTHING")
                .setParameter(1, runId).setParameter(2, policyId).setParameter(3, windowStart)
                .setParameter(4, cutoff).setParameter(5, perRecord).setParameter(6, trigger.wire())
                .setParameter(7, now).executeUpdate() == 1;
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
