package io.privacyplatform.consent.repository;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.privacyplatform.consent.PolicyVersion;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;

/** Policy versions, by tenant and version name. */
@ApplicationScoped
public class PolicyVersionRepository implements PanacheRepositoryBase<PolicyVersion, UUID> {

    /** First half of the advisory-lock key of a version name's writes (other namespaces: subjects, outbox relay). */
    static final int VERSION_LOCK_NAMESPACE = 0x706f6c76;

    /**
     * Serialises the announcements of one version name until the transaction ends, so two first PUTs of the same
     * new version resolve to one announcement (201) and a repeat (200) or a conflict (409), instead of a unique-key
     * failure; hash collisions only serialise more.
     */
    public void lockVersion(String tenantId, String version) {
        getEntityManager().createNativeQuery("SELECT pg_advisory_xact_lock(?1, ?2)")
                .setParameter(1, VERSION_LOCK_NAMESPACE)
                .setParameter(2, (tenantId.length() + ":" + tenantId + ":" + version).hashCode())
                .getSingleResult();
    }

    public Optional<PolicyVersion> findByVersion(String tenantId, String version) {
        return find("tenantId = ?1 and version = ?2", tenantId, version).firstResultOptional();
    }

    /** Newest effective first. */
    public List<PolicyVersion> ofTenant(String tenantId) {
        return list("tenantId = ?1 order by effectiveAt desc, version", tenantId);
    }
}
