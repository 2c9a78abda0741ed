package io.privacyplatform.retention.repository;

import java.util.List;

import io.privacyplatform.retention.TenantSetting;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;

/** Tenants' settings, by tenant id. */
@ApplicationScoped
public class TenantSettingRepository implements PanacheRepositoryBase<TenantSetting, String> {

    /** First half of the advisory-lock key of a tenant's settings writes (the outbox relay uses another). */
    static final int SETTINGS_LOCK_NAMESPACE = 0x74656e73;

    /**
     * Serialises the writes of one tenant's settings until the transaction ends: two first PUTs for a tenant would
     * otherwise both insert and the second fail on the primary key; after the lock the second one updates, and the
     * events go out in the order of the writes. Hash collisions only serialise more.
     */
    public void lockTenant(String tenantId) {
        getEntityManager().createNativeQuery("SELECT pg_advisory_xact_lock(?1, ?2)")
                .setParameter(1, SETTINGS_LOCK_NAMESPACE)
                .setParameter(2, (tenantId.length() + ":" + tenantId).hashCode())
                .getSingleResult();
    }

    /** Ids of the tenants whose region is not {@code region}, ordered. */
    public List<String> tenantsOutside(String region) {
        return list("region <> ?1 order by tenantId", region).stream().map(t -> t.tenantId).toList();
    }
}
