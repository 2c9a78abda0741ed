package io.privacyplatform.support.deadletter;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;

import org.eclipse.microprofile.openapi.annotations.Operation;

import io.privacyplatform.support.auth.Caller;
import io.privacyplatform.support.auth.Roles;
import io.privacyplatform.support.error.ApiException;
import io.privacyplatform.support.rest.Page;
import io.privacyplatform.support.rest.PageCursor;

/**
 * The dead-letter operations every service has: list what its consumers set aside, and replay chosen records once
 * their cause is fixed. Platform admins only: the listing names subjects' pseudonyms and tenants of every tenant,
 * and a replay acts for all of them.
 */
@Path("/v1/admin/dead-letters")
@RolesAllowed(Roles.ADMIN)
public class DeadLetterResource {

    @Inject
    DeadLetters deadLetters;

    @Inject
    Caller caller;

    @GET
    @Operation(summary = "Records on one of this service's dead-letter topics, oldest first, with their error"
            + " headers; never their payload")
    public Page<DeadLetterRecord> list(@QueryParam("topic") String topic, @QueryParam("limit") Integer limit,
            @QueryParam("cursor") String cursor) {
        requirePlatformAdmin();
        return deadLetters.list(topic, PageCursor.limit(limit), cursor);
    }

    @POST
    @Path("/replay")
    @Operation(summary = "Publish chosen dead-letter records again to the topic they came from, all in one"
            + " transaction; consumers deduplicate on ce_id")
    public ReplayResult replay(ReplayRequest request) {
        requirePlatformAdmin();
        return deadLetters.replay(request, caller.actor());
    }

    private void requirePlatformAdmin() {
        if (!caller.isPlatformAdmin()) {
            throw ApiException.forbidden("platform_admin_only",
                    "only an admin of the platform tenant may read or replay dead letters");
        }
    }
}
