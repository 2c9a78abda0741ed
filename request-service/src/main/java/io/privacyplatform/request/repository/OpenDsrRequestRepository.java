package io.privacyplatform.request.repository;

import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.privacyplatform.request.OpenDsrRequest;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;

/** OpenDSR requests by the controller's id, always within the caller's tenant. */
@ApplicationScoped
public class OpenDsrRequestRepository implements PanacheRepositoryBase<OpenDsrRequest, UUID> {

    public Optional<OpenDsrRequest> findForTenant(String tenantId, UUID subjectRequestId) {
        return find("tenantId = ?1 and subjectRequestId = ?2", tenantId, subjectRequestId).firstResultOptional();
    }

    public Optional<OpenDsrRequest> findByRequest(UUID requestId) {
        return find("requestId", requestId).firstResultOptional();
    }

    /**
     * Serialises submissions of one controller's id until the transaction ends, so two concurrent copies of a request
     * cannot both create one (the second sees the first's row).
     */
    public void lockSubjectRequestId(String tenantId, UUID subjectRequestId) {
        getEntityManager().createNativeQuery("SELECT pg_advisory_xact_lock(hashtextextended(?1, 0))")
                .setParameter(1, "opendsr:" + tenantId + ":" + subjectRequestId).getResultList();
    }
}
