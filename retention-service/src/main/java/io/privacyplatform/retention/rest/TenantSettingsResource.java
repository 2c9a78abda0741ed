package io.privacyplatform.retention.rest;

import java.time.Instant;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.privacyplatform.retention.TenantSetting;
import io.privacyplatform.retention.service.TenantSettingsPublisher;
import io.privacyplatform.support.auth.Caller;
import io.privacyplatform.support.auth.Roles;
import io.privacyplatform.support.error.ApiException;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/**
 * A tenant's settings. They are the provider's decisions (sampling is switched off "upon request" by the provider,
 * the region is contractual): only a platform admin sets them (403 {@code platform_admin_only} for anyone else).
 * A tenant's own admins and operators may read its settings; any other tenant's are not found (404).
 */
@Path("/v1/tenants/{tenantId}/settings")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Tenant settings", description = "Trusted accounts and regions, published on the compacted topic")
public class TenantSettingsResource {

    @Inject
    Caller caller;

    @Inject
    TenantSettingsPublisher publisher;

    public record SettingsInput(@NotNull Boolean trusted, String region) {
    }

    public record SettingsView(String tenantId, boolean trusted, String region, Instant updatedAt,
            String updatedBy) {

        static SettingsView of(TenantSetting s) {
            return new SettingsView(s.tenantId, s.trusted, s.region, s.updatedAt, s.updatedBy);
        }
    }

    @PUT
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Set a tenant's settings and publish them on privacy.tenant.settings.v1")
    public SettingsView put(@PathParam("tenantId") String tenantId, @Valid @NotNull SettingsInput input) {
        checkScope(tenantId);
        Inputs.requirePlatformAdmin(caller);
        Inputs.id("tenantId", tenantId, Inputs.SYSTEM_ID);
        return SettingsView.of(publisher.put(tenantId, input.trusted(), Inputs.region(input.region()),
                caller.actor()));
    }

    @GET
    @RolesAllowed({ Roles.ADMIN, Roles.OPERATOR })
    @Operation(summary = "A tenant's settings; 404 when none were set")
    public SettingsView get(@PathParam("tenantId") String tenantId) {
        checkScope(tenantId);
        return SettingsView.of(publisher.get(tenantId));
    }

    private void checkScope(String tenantId) {
        if (!caller.isPlatform() && !caller.tenantId().equals(tenantId)) {
            throw ApiException.notFound("tenant settings");
        }
    }
}
