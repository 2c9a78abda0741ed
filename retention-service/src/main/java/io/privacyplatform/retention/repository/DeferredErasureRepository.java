package io.privacyplatform.retention.repository;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import io.privacyplatform.retention.DeferredErasure;
import io.privacyplatform.retention.DeferredState;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;

/** The categories legal holds kept from erasures, per request and system, until they are erased after all. */
@ApplicationScoped
public class DeferredErasureRepository implements PanacheRepositoryBase<DeferredErasure, UUID> {

    /** The request's categories still waiting, ordered by system and category. */
    public List<DeferredErasure> waitingOf(String requestId) {
        return list("requestId = ?1 and state = ?2 order by systemId, category", requestId, DeferredState.WAITING);
    }

    /** The categories one release issued, ordered by category and system. */
    public List<DeferredErasure> ofRelease(UUID releaseId) {
        return list("releaseId = ?1 order by category, systemId", releaseId);
    }

    /** Requests of the subject with categories still waiting, whatever the hold that kept them. */
    public List<String> waitingRequestsOf(String tenantId, String subjectPseudonym) {
        return getEntityManager().createQuery("select distinct d.requestId from DeferredErasure d, RightsRequest r"
                + " where r.requestId = d.requestId and r.tenantId = ?1 and r.subjectPseudonym = ?2"
                + " and d.state = ?3 order by d.requestId", String.class)
                .setParameter(1, tenantId).setParameter(2, subjectPseudonym).setParameter(3, DeferredState.WAITING)
                .getResultList();
    }

    /**
     * Completed requests with a waiting category that no hold in force covers any more (it was released or its
     * {@code until} passed) in a system still on the data map: what the sweep releases.
     */
    @SuppressWarnings("unchecked")
    public List<String> releasableRequests(Instant now, int limit) {
        return getEntityManager().createNativeQuery("SELECT DISTINCT d.request_id FROM deferred_erasure d"
                + " JOIN rights_request r ON r.request_id = d.request_id"
                + " JOIN data_system s ON s.id = d.system_id"
                + " WHERE d.state = 'waiting' AND r.state = 'completed' AND NOT EXISTS (SELECT 1 FROM legal_hold h"
                + " WHERE h.tenant_id = r.tenant_id AND h.subject_pseudonym = r.subject_pseudonym"
                + " AND d.category = ANY (h.categories) AND h.released_at IS NULL"
                + " AND (h.until IS NULL OR h.until > ?1)) LIMIT ?2")
                .setParameter(1, now).setParameter(2, limit).getResultList();
    }

    /** Marks the release's categories done unless they are; returns whether this call did (amend once). */
    public boolean markDone(UUID releaseId) {
        return update("state = ?1 where releaseId = ?2 and state = ?3", DeferredState.DONE, releaseId,
                DeferredState.ISSUED) > 0;
    }
}
