package io.privacyplatform.consent.repository;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.privacyplatform.consent.PolicyVersion;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;

/** Policy versions, by tenant and version name. */
@ApplicationScoped
public class PolicyVersionRepository implements PanacheRepositoryBase<PolicyVersion, UUID> {

    public Optional<PolicyVersion> findByVersion(String tenantId, String version) {
        return find("tenantId = ?1 and version = ?2", tenantId, version).firstResultOptional();
    }

    /** Newest effective first. */
    public List<PolicyVersion> ofTenant(String tenantId) {
        return list("tenantId = ?1 order by effectiveAt desc, version", tenantId);
    }

    /** The effective time of the latest material version in effect at {@code at}, if any. */
    public Optional<Instant> latestMaterialEffectiveAt(String tenantId, Instant at) {
        return find("tenantId = ?1 and material = true and effectiveAt <= ?2 order by effectiveAt desc", tenantId,
                at).firstResultOptional().map(v -> v.effectiveAt);
    }
}
