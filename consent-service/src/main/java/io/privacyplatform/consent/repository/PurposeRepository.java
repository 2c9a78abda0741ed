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

    public Optional<Purpose> findByPurposeId(String tenantId, String purposeId) {
        return find("tenantId = ?1 and purposeId = ?2", tenantId, purposeId).firstResultOptional();
    }

    public List<Purpose> ofTenant(String tenantId) {
        return list("tenantId = ?1 order by purposeId", tenantId);
    }
}
