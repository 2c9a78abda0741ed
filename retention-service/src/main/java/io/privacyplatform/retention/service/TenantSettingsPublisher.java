package io.privacyplatform.retention.service;

import java.time.Clock;
import java.time.Instant;

import io.privacyplatform.events.payload.TenantSettings;
import io.privacyplatform.retention.TenantSetting;
import io.privacyplatform.support.outbox.Outbox;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

/** Stores a tenant's settings and publishes them on the compacted topic (key = tenant id) in one transaction. */
@ApplicationScoped
public class TenantSettingsPublisher {

    @Inject
    Outbox outbox;

    @Inject
    Clock clock;

    @Transactional
    public TenantSetting put(String tenantId, boolean trusted, String region, String actor) {
        Instant now = clock.instant();
        TenantSetting settings = TenantSetting.findById(tenantId);
        if (settings == null) {
            settings = new TenantSetting();
            settings.tenantId = tenantId;
            settings.trusted = trusted;
            settings.region = region;
            settings.updatedAt = now;
            settings.updatedBy = actor;
            settings.persist();
        } else {
            settings.trusted = trusted;
            settings.region = region;
            settings.updatedAt = now;
            settings.updatedBy = actor;
        }
        outbox.publish(tenantId, tenantId, new TenantSettings(tenantId, trusted, region, now));
        return settings;
    }
}
