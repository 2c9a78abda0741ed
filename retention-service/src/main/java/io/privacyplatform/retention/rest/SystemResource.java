package io.privacyplatform.retention.rest;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.privacyplatform.retention.DataSystem;
import io.privacyplatform.retention.service.DataMap;
import io.privacyplatform.retention.service.DataMap.SystemSpec;
import io.privacyplatform.support.auth.Caller;
import io.privacyplatform.support.auth.Roles;
import io.privacyplatform.support.rest.Page;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

@Path("/v1/systems")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Data map", description = "Downstream systems holding personal data (platform configuration)")
public class SystemResource {

    @Inject
    Caller caller;

    @Inject
    DataMap dataMap;

    public record SystemInput(String description, String owner, String region, List<String> categories,
            List<String> capabilities, String ackTimeout, String transferSafeguard, List<String> identifiers,
            String ackPublicKey) {
    }

    public record SystemView(String id, String description, String owner, String region, List<String> categories,
            List<String> capabilities, String ackTimeout, String transferSafeguard, List<String> identifiers,
            String principal, String ackPublicKey, Instant createdAt, Instant updatedAt, String updatedBy) {

        static SystemView of(DataSystem s) {
            return new SystemView(s.id, s.description, s.owner, s.region, List.of(s.categories),
                    List.of(s.capabilities), Duration.ofSeconds(s.ackTimeoutSeconds).toString(), s.transferSafeguard,
                    List.of(s.identifiers), s.principal, s.ackPublicKey, s.createdAt, s.updatedAt, s.updatedBy);
        }
    }

    @PUT
    @Path("/{systemId}")
    @RolesAllowed({ Roles.ADMIN, Roles.STORE })
    @Operation(summary = "Register or change a system (platform admins, or the store itself: a token of role store"
            + " named after the system, which must send its ackPublicKey); 422 when it breaks the residency rule")
    public Response put(@PathParam("systemId") String systemId, @Valid @NotNull SystemInput input) {
        // An admin token that also says store acts as admin; a store token acts for its own system only.
        boolean admin = caller.hasRole(Roles.ADMIN);
        String storePrincipal = null;
        if (admin) {
            Inputs.requirePlatformAdmin(caller);
        } else {
            storePrincipal = Inputs.requireOwnSystem(caller, systemId);
        }
        Inputs.id("systemId", systemId, Inputs.SYSTEM_ID);
        SystemSpec spec = new SystemSpec(
                Inputs.text("description", input.description(), 1000, true),
                Inputs.text("owner", input.owner(), 200, true),
                Inputs.region(input.region()),
                Inputs.categories("categories", input.categories(), true),
                Inputs.capabilities(input.capabilities()),
                Inputs.duration("ackTimeout", input.ackTimeout(), Inputs.MIN_ACK_TIMEOUT, Inputs.MAX_ACK_TIMEOUT)
                        .toSeconds(),
                Inputs.text("transferSafeguard", input.transferSafeguard(), 500, false),
                Inputs.identifiers(input.identifiers()),
                Inputs.ackPublicKey(input.ackPublicKey(), !admin));
        boolean created = dataMap.put(systemId, spec, caller.actor(), storePrincipal);
        return Response.status(created ? 201 : 200).entity(SystemView.of(dataMap.get(systemId))).build();
    }

    @GET
    @RolesAllowed({ Roles.ADMIN, Roles.OPERATOR })
    @Operation(summary = "The data map: every system, ordered by id (a short list, returned whole)")
    public Page<SystemView> list() {
        return new Page<>(dataMap.all().stream().map(SystemView::of).toList(), null);
    }

    @GET
    @Path("/{systemId}")
    @RolesAllowed({ Roles.ADMIN, Roles.OPERATOR })
    @Operation(summary = "One system")
    public SystemView get(@PathParam("systemId") String systemId) {
        return SystemView.of(dataMap.get(systemId));
    }

    @DELETE
    @Path("/{systemId}")
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Remove a system from the data map; 409 while it has open commands")
    public Response delete(@PathParam("systemId") String systemId) {
        Inputs.requirePlatformAdmin(caller);
        dataMap.delete(systemId);
        return Response.noContent().build();
    }
}
