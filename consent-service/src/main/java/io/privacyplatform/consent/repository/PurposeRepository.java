package io.privacyplatform.consent.repository;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.privacyplatform.consent.Purpose;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;

/** Purposes, by tenant and purpose id. */
@ApplicationScoped
public class PurposeRepository implements PanacheRepositoryBase<Purpose, UUID> {

    /** First half of the advisory-lock key of a purpose id's writes (other namespaces: subjects, outbox relay). */
    static final int PURPOSE_LOCK_NAMESPACE = 0x70757270;

    /**
     * Serialises the writes of one purpose id until the transaction ends: two first PUTs of the same new id would
     * otherwise both find no row and both insert, and the second would fail on the unique (tenant, purpose) key. The
     * lock also covers the id's first write, where there is no row to lock yet; hash collisions only serialise more.
     */
    public void lockPurposeId(String tenantId, String purposeId) {
        getEntityManager().createNativeQuery("SELECT pg_advisory_xact_lock(?1, ?2)")
                .setParameter(1, PURPOSE_LOCK_NAMESPACE)
                .setParameter(2, (tenantId.length() + ":" + tenantId + ":" + purposeId).hashCode())
                .getSingleResult();
    }

    public Optional<Purpose> findByPurposeId(String tenantId, String purposeId) {
        return find("tenantId = ?1 and purposeId = ?2", tenantId, purposeId).firstResultOptional();
    }

    public List<Purpose> ofTenant(String tenantId) {
        return list("tenantId = ?1 order by purposeId", tenantId);
    }
}
