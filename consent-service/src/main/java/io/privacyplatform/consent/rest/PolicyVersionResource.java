package io.privacyplatform.consent.rest;

import java.time.Instant;
import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.privacyplatform.consent.PolicyVersion;
import io.privacyplatform.consent.service.PolicyVersions;
import io.privacyplatform.support.auth.Caller;
import io.privacyplatform.support.auth.Roles;
import io.privacyplatform.support.error.ApiException;

@Path("/v1/policy-versions")
@Tag(name = "Policy versions", description = "The tenant's privacy policy versions (change: admin)")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class PolicyVersionResource {

    static final String VERSION_PATTERN = "[A-Za-z0-9][A-Za-z0-9_.-]{0,99}";

    @Inject
    PolicyVersions versions;

    @Inject
    Caller caller;

    public record PolicyVersionInput(@NotNull Instant effectiveAt, @NotNull Boolean material,
            @Size(max = 2000) String summary) {
    }

    public record PolicyVersionView(String version, Instant effectiveAt, boolean material, String summary,
            Instant createdAt, int notices) {

        static PolicyVersionView of(PolicyVersion version) {
            return new PolicyVersionView(version.version, version.effectiveAt, version.material, version.summary,
                    version.createdAt, version.notices);
        }
    }

    public record PolicyVersionList(List<PolicyVersionView> items) {
    }

    @PUT
    @Path("/{version}")
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Announce a policy version",
            description = "A material version must take effect in the future; it sends a policy_change notice"
                    + " (privacy.notification.v1) to every subject with a consent-based grant recorded under an"
                    + " older version, and from effectiveAt on those grants show reconsentRequired: true. A version"
                    + " is announced once: the same PUT again answers 200, other values 409.")
    @APIResponse(responseCode = "201", description = "announced")
    @APIResponse(responseCode = "200", description = "already announced with these values")
    @APIResponse(responseCode = "409", description = "already announced with other values")
    public Response put(@PathParam("version") String version, @Valid PolicyVersionInput body) {
        if (body == null) {
            throw ApiException.validation("$", "a body is required");
        }
        if (!version.matches(VERSION_PATTERN)) {
            throw ApiException.validation("version",
                    "must be 1 to 100 characters of A-Z, a-z, 0-9, '_', '.', '-', starting with a letter or digit");
        }
        PolicyVersions.Saved saved = versions.put(caller.tenantId(), version, body.effectiveAt(), body.material(),
                body.summary());
        return Response.status(saved.created() ? 201 : 200).entity(PolicyVersionView.of(saved.version())).build();
    }

    @GET
    @RolesAllowed({ Roles.ADMIN, Roles.APP, Roles.OPERATOR })
    @Operation(summary = "Every policy version of the tenant, latest effective first")
    public PolicyVersionList list() {
        return new PolicyVersionList(versions.list(caller.tenantId()).stream().map(PolicyVersionView::of).toList());
    }
}
