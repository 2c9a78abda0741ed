package io.privacyplatform.retention.rest;

import java.util.List;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.privacyplatform.retention.DataSystem;
import io.privacyplatform.retention.TenantSetting;
import io.privacyplatform.retention.repository.DataSystemRepository;
import io.privacyplatform.support.auth.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

@Path("/v1/residency/report")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Residency", description = "Where personal data leaves the EEA")
public class ResidencyResource {

    @Inject
    DataSystemRepository systems;

    public record Transfer(String system, String region, List<String> categories, String transferSafeguard,
            String owner) {
    }

    /** Tenants outside the EEA are listed too: their data may go anywhere, the rule protects the others'. */
    public record Report(List<Transfer> transfers, List<String> tenantsOutsideEea) {
    }

    @GET
    @RolesAllowed({ Roles.ADMIN, Roles.OPERATOR })
    @Operation(summary = "Every system outside the EEA that holds categories, with its transfer safeguard")
    public Report report() {
        List<Transfer> transfers = systems.all().stream()
                .filter(s -> !s.inEea() && s.categories.length > 0)
                .map(s -> new Transfer(s.id, s.region, List.of(s.categories), s.transferSafeguard, s.owner))
                .toList();
        List<String> outside = TenantSetting.<TenantSetting>list("region <> ?1 order by tenantId", DataSystem.EEA)
                .stream().map(t -> t.tenantId).toList();
        return new Report(transfers, outside);
    }
}
