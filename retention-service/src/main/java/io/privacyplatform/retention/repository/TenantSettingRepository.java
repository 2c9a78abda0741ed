package io.privacyplatform.retention.repository;

import java.util.List;

import io.privacyplatform.retention.TenantSetting;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;

/** Tenants' settings, by tenant id. */
@ApplicationScoped
public class TenantSettingRepository implements PanacheRepositoryBase<TenantSetting, String> {

    /** Ids of the tenants whose region is not {@code region}, ordered. */
    public List<String> tenantsOutside(String region) {
        return list("region <> ?1 order by tenantId", region).stream().map(t -> t.tenantId).toList();
    }
}
