package io.privacyplatform.retention.service;

import java.time.Clock;
import java.time.Instant;

import io.privacyplatform.events.payload.TenantSettings;
import io.privacyplatform.retention.TenantSetting;
import io.privacyplatform.retention.repository.TenantSettingRepository;
import io.privacyplatform.support.error.ApiException;
import io.privacyplatform.support.outbox.Outbox;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

/** Stores a tenant's settings and publishes them on the compacted topic (key = tenant id) in one transaction. */
@ApplicationScoped
public class TenantSettingsPublisher {

    @Inject
    TenantSettingRepository settingsOfTenants;

    @Inject
    Outbox outbox;

    @Inject
    Clock clock;

    @Transactional
    public TenantSetting put(String tenantId, boolean trusted, String region, String actor) {
        settingsOfTenants.lockTenant(tenantId);
        Instant now = clock.instant();
        TenantSetting settings = settingsOfTenants.findById(tenantId);
        if (settings == null) {
            settings = new TenantSetting();
            settings.tenantId = tenantId;
            settings.trusted = trusted;
            settings.region = region;
            settings.updatedAt = now;
            settings.updatedBy = actor;
            settingsOfTenants.persist(settings);
        } else {
            settings.trusted = trusted;
            settings.region = region;
            settings.updatedAt = now;
            settings.updatedBy = actor;
        }
        outbox.publish(tenantId, tenantId, TenantSettings.of(tenantId, trusted, region, now));
        return settings;
    }

    /** The tenant's settings as last set; 404 when none were. */
    public TenantSetting get(String tenantId) {
        TenantSetting settings = settingsOfTenants.findById(tenantId);
        if (settings == null) {
            throw ApiException.notFound("tenant settings");
        }
        return settings;
    }
}
