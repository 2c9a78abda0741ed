package io.privacyplatform.events.payload;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonProperty;

import io.privacyplatform.events.Require;
import io.privacyplatform.events.TenantScoped;

/**
 * A tenant's data-handling settings, on the compacted {@code privacy.tenant.settings.v1} keyed by tenant id.
 * No personal data: {@code trusted} switches off abuse-review sampling; {@code region} is e.g. {@code EEA}.
 */
public record TenantSettings(String tenantId, @JsonProperty(required = true) boolean trusted, String region,
        Instant updatedAt) implements TenantScoped {

    public TenantSettings {
        Require.text(tenantId, "tenantId");
        Require.text(region, "region");
        Require.present(updatedAt, "updatedAt");
    }

    public static TenantSettings of(String tenantId, boolean trusted, String region, Instant updatedAt) {
        return new TenantSettings(tenantId, trusted, region, updatedAt);
    }
}
