package io.privacyplatform.retention.repository;

import java.time.Instant;

import io.privacyplatform.retention.RightsRequest;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;

/** The verified rights requests this service turned into commands. */
@ApplicationScoped
public class RightsRequestRepository implements PanacheRepositoryBase<RightsRequest, String> {

    /**
     * Inserts the request {@code in_progress} unless it exists (ON CONFLICT DO NOTHING, so a request verified twice
     * issues its commands once); returns whether it was inserted.
     */
    public boolean insertIfAbsent(String requestId, String tenantId, String type, String subjectPseudonym,
            Instant dueAt, Instant verifiedAt) {
        return getEntityManager().createNativeQuery("INSERT INTO rights_request (request_id, tenant_id, type,"
                + " subject_pseudonym, state, due_at, held, verified_at) VALUES (?1, ?2, ?3, ?4, 'in_progress',"
                + " CAST(?5 AS timestamptz), '[]', ?6) ON CONFLICT (request_id) DO NOTHING")
                .setParameter(1, requestId).setParameter(2, tenantId).setParameter(3, type)
                .setParameter(4, subjectPseudonym).setParameter(5, dueAt == null ? null : dueAt.toString())
                .setParameter(6, verifiedAt).executeUpdate() == 1;
    }

    /**
     * Marks the request completed unless it already is, and reads it afresh; returns whether this call completed
     * it. The guard makes completion (certificate, completed event) happen once, however many acks race there.
     */
    public boolean completeOnce(RightsRequest request, Instant now) {
        int completed = getEntityManager().createNativeQuery("UPDATE rights_request SET state = 'completed',"
                + " completed_at = ?2 WHERE request_id = ?1 AND state <> 'completed'")
                .setParameter(1, request.requestId).setParameter(2, now).executeUpdate();
        if (completed == 0) {
            return false;
        }
        getEntityManager().refresh(request);
        return true;
    }

    /**
     * The request, its row locked until the transaction ends, when it exists and belongs to {@code tenantId}; null
     * otherwise (an event for a request never verified here, or from another tenant).
     */
    public RightsRequest lockOfTenant(String requestId, String tenantId) {
        if (!lockRow(requestId, false)) {
            return null;
        }
        RightsRequest request = findById(requestId);
        return request.tenantId.equals(tenantId) ? request : null;
    }

    /** Locks the request's row; with {@code skipLocked}, returns false instead of waiting for another holder. */
    public boolean lockRow(String requestId, boolean skipLocked) {
        return !getEntityManager().createNativeQuery("SELECT 1 FROM rights_request WHERE request_id = ?1 FOR UPDATE"
                + (skipLocked ? " SKIP LOCKED" : "")).setParameter(1, requestId).getResultList().isEmpty();
    }
}
