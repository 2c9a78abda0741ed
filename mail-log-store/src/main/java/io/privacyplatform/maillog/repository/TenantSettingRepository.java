package io.privacyplatform.maillog.repository;

import java.sql.Timestamp;
import java.util.List;

import io.privacyplatform.events.payload.TenantSettings;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

/** The accounts' settings as last published ({@code tenant_setting}). */
@ApplicationScoped
public class TenantSettingRepository {

    @Inject
    EntityManager entityManager;

    /** Stores the settings unless newer ones are stored already (the topic may deliver an older copy again). */
    public void saveUnlessOlder(TenantSettings settings) {
        entityManager.createNativeQuery("""
                INSERT INTO tenant_setting (tenant_id, trusted, region, updated_at) VALUES (?1, ?2, ?3, ?4)
                ON CONFLICT (tenant_id) DO UPDATE SET trusted = excluded.trusted, region = excluded.region,
                    updated_at = excluded.updated_at
                WHERE tenant_setting.updated_at <= excluded.updated_at""")
                .setParameter(1, settings.tenantId()).setParameter(2, settings.trusted())
                .setParameter(3, settings.region()).setParameter(4, Timestamp.from(settings.updatedAt()))
                .executeUpdate();
    }

    /** Unknown accounts are not trusted. */
    public boolean isTrusted(String tenantId) {
        List<?> trusted = entityManager.createNativeQuery("SELECT trusted FROM tenant_setting WHERE tenant_id = ?1")
                .setParameter(1, tenantId).getResultList();
        return !trusted.isEmpty() && Boolean.TRUE.equals(trusted.get(0));
    }
}
