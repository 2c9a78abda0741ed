package io.privacyplatform.retention.rest;

import java.util.List;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.privacyplatform.retention.service.DataMap;
import io.privacyplatform.support.auth.Caller;
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
    DataMap dataMap;

    @Inject
    Caller caller;

    public record Transfer(String system, String region, List<String> categories, String transferSafeguard,
            String owner) {
    }

    /**
     * Tenants outside the EEA are listed too: their data may go anywhere, the rule protects the others'. A tenant's
     * admins and operators see only their own tenant there (other accounts' regions are none of their business);
     * a platform admin sees every tenant. Systems are platform-wide, so the transfers are the same for everyone.
     */
    public record Report(List<Transfer> transfers, List<String> tenantsOutsideEea) {
    }

    @GET
    @RolesAllowed({ Roles.ADMIN, Roles.OPERATOR })
    @Operation(summary = "Every system outside the EEA that holds categories, with its transfer safeguard;"
            + " tenants outside the EEA: the caller's own (a platform admin: all)")
    public Report report() {
        List<Transfer> transfers = dataMap.transfersOutsideEea().stream()
                .map(s -> new Transfer(s.id, s.region, List.of(s.categories), s.transferSafeguard, s.owner))
                .toList();
        boolean platformAdmin = caller.isPlatform() && caller.hasRole(Roles.ADMIN);
        return new Report(transfers, platformAdmin ? dataMap.tenantsOutsideEea()
                : dataMap.tenantsOutsideEea(caller.tenantId()));
    }
}
