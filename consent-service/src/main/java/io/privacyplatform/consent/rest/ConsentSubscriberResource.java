package io.privacyplatform.consent.rest;

import java.time.Instant;
import java.util.List;
import java.util.regex.Pattern;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.privacyplatform.consent.ConsentSubscriber;
import io.privacyplatform.consent.service.ConsentSubscribers;
import io.privacyplatform.consent.service.ConsentSubscribers.Registration;
import io.privacyplatform.events.Ed25519Keys;
import io.privacyplatform.support.auth.Caller;
import io.privacyplatform.support.auth.Roles;
import io.privacyplatform.support.error.ApiException;

@Path("/v1/consent-subscribers")
@Tag(name = "Consent subscribers", description = "Internal systems that apply consent decisions and acknowledge"
        + " them (platform configuration: change by platform admins; read: admin, operator)")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class ConsentSubscriberResource {

    /** The names the subscriber kit accepts for a system (its acknowledgements' source and consumer group). */
    static final Pattern SYSTEM_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");

    @Inject
    ConsentSubscribers registry;

    @Inject
    Caller caller;

    public record SubscriberInput(@NotBlank @Size(max = 1000) String description,
            @NotBlank @Size(max = 200) String owner,
            @NotBlank @Size(max = 200) @Schema(required = true, description = "base64 X.509 Ed25519 public key its"
                    + " acknowledgements are signed with") String publicKey) {
    }

    public record SubscriberView(String id, String description, String owner, String publicKey,
            Instant registeredAt, Instant updatedAt, String updatedBy) {

        static SubscriberView of(ConsentSubscriber s) {
            return new SubscriberView(s.id, s.description, s.owner, s.publicKey, s.registeredAt, s.updatedAt,
                    s.updatedBy);
        }
    }

    public record SubscriberList(List<SubscriberView> items) {
    }

    @PUT
    @Path("/{systemId}")
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Register a consent subscriber, or change its description, owner or key",
            description = "From its registration on, the system is expected to apply every withdrawal within"
                    + " consent.propagation.withdrawal-deadline; an acknowledgement counts only when signed with"
                    + " publicKey.")
    @APIResponse(responseCode = "201", description = "registered")
    @APIResponse(responseCode = "200", description = "changed")
    public Response put(@PathParam("systemId") String systemId, @Valid @NotNull SubscriberInput body) {
        requirePlatformAdmin();
        if (systemId == null || !SYSTEM_ID.matcher(systemId).matches()) {
            throw ApiException.validation("systemId", "must match " + SYSTEM_ID.pattern());
        }
        Registration registration = new Registration(body.description().strip(), body.owner().strip(),
                publicKey(body.publicKey()));
        boolean created = registry.put(systemId, registration, caller.actor());
        return Response.status(created ? 201 : 200).entity(SubscriberView.of(registry.get(systemId))).build();
    }

    @GET
    @RolesAllowed({ Roles.ADMIN, Roles.OPERATOR })
    @Operation(summary = "Every consent subscriber, by id (a short list, returned whole)")
    public SubscriberList list() {
        return new SubscriberList(registry.all().stream().map(SubscriberView::of).toList());
    }

    @GET
    @Path("/{systemId}")
    @RolesAllowed({ Roles.ADMIN, Roles.OPERATOR })
    @Operation(summary = "One consent subscriber")
    @APIResponse(responseCode = "404", description = "not registered")
    public SubscriberView get(@PathParam("systemId") String systemId) {
        return SubscriberView.of(registry.get(systemId));
    }

    @DELETE
    @Path("/{systemId}")
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Remove a consent subscriber: no decision is expected from it any more")
    @APIResponse(responseCode = "204", description = "removed")
    public Response delete(@PathParam("systemId") String systemId) {
        requirePlatformAdmin();
        registry.delete(systemId);
        return Response.noContent().build();
    }

    /** The subscribers receive every tenant's decisions: only admins of the platform tenant change the list. */
    private void requirePlatformAdmin() {
        if (!caller.isPlatformAdmin()) {
            throw ApiException.forbidden("platform_admin_only",
                    "only an admin of the platform tenant may change platform configuration");
        }
    }

    /** The key in its canonical base64 form. */
    private static String publicKey(String value) {
        try {
            return Ed25519Keys.publicKeyBase64(Ed25519Keys.publicKeyFromBase64(value.strip()));
        } catch (IllegalArgumentException e) {
            throw ApiException.validation("publicKey", "must be a base64 X.509 Ed25519 public key");
        }
    }
}
