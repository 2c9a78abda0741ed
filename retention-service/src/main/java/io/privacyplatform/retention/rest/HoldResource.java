package io.privacyplatform.retention.rest;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.privacyplatform.retention.LegalHold;
import io.privacyplatform.retention.service.LegalHolds;
import io.privacyplatform.support.auth.Caller;
import io.privacyplatform.support.auth.Roles;
import io.privacyplatform.support.error.ApiException;
import io.privacyplatform.support.idempotency.IdempotentRequests;
import io.privacyplatform.support.rest.Page;
import io.privacyplatform.support.rest.PageCursor;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** Legal holds of the caller's tenant. {@code tenantId} in the body, if given, must be the caller's. */
@Path("/v1/holds")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Legal holds", description = "Defer the erasure of a subject's categories")
public class HoldResource {

    @Inject
    Caller caller;

    @Inject
    LegalHolds holds;

    @Inject
    IdempotentRequests idempotent;

    @Inject
    Clock clock;

    public record HoldInput(String tenantId, String subjectId, List<String> categories, String reason,
            Instant until) {
    }

    /** Why a hold is released; required, it goes on record with who and when. */
    public record ReleaseInput(String reason) {
    }

    public record HoldView(String id, String tenantId, String subjectId, List<String> categories, String reason,
            Instant until, boolean active, Instant createdAt, String createdBy, Instant releasedAt,
            String releasedBy, String releaseReason) {

        static HoldView of(LegalHold h, Instant now) {
            return new HoldView(h.id.toString(), h.tenantId, h.subjectId, List.of(h.categories), h.reason, h.until,
                    h.activeAt(now), h.createdAt, h.createdBy, h.releasedAt, h.releasedBy, h.releaseReason);
        }
    }

    @POST
    @RolesAllowed({ Roles.OPERATOR, Roles.ADMIN })
    @Operation(summary = "Place a legal hold (supports Idempotency-Key)")
    public Response place(@Valid @NotNull HoldInput input,
            @HeaderParam(IdempotentRequests.HEADER) String idempotencyKey) {
        String tenantId = caller.tenantId();
        if (input.tenantId() != null && !input.tenantId().equals(tenantId)) {
            throw ApiException.validation("tenantId", "must be the caller's tenant");
        }
        String subjectId = Inputs.text("subjectId", input.subjectId(), 320, true);
        List<String> categories = Inputs.categories("categories", input.categories(), true);
        if (categories.isEmpty()) {
            throw ApiException.validation("categories", "must name at least one category");
        }
        String reason = Inputs.text("reason", input.reason(), 500, true);
        Instant now = clock.instant();
        Instant until = Inputs.futureOrNull("until", input.until(), now);
        return idempotent.run(tenantId, "POST /v1/holds", idempotencyKey, input,
                () -> new IdempotentRequests.Result(201, HoldView.of(
                        holds.place(tenantId, subjectId, categories, reason, until, caller.actor()), now)));
    }

    @GET
    @RolesAllowed({ Roles.OPERATOR, Roles.ADMIN })
    @Operation(summary = "The tenant's legal holds, newest first (keyset pagination: limit, cursor)")
    public Page<HoldView> list(@QueryParam("limit") Integer limit, @QueryParam("cursor") String cursor) {
        int size = PageCursor.limit(limit);
        List<LegalHold> rows = holds.page(caller.tenantId(), PageCursor.decode(cursor), size);
        Instant now = clock.instant();
        String next = null;
        if (rows.size() > size) {
            rows = rows.subList(0, size);
            LegalHold last = rows.get(size - 1);
            next = new PageCursor(last.createdAt, last.id.toString()).encode();
        }
        return new Page<>(rows.stream().map(h -> HoldView.of(h, now)).toList(), next);
    }

    @POST
    @Path("/{holdId}/release")
    @RolesAllowed({ Roles.OPERATOR, Roles.ADMIN })
    @Operation(summary = "Release a legal hold with a reason; the erasures it deferred are issued")
    public HoldView release(@PathParam("holdId") String holdId, @Valid @NotNull ReleaseInput input) {
        return release(holdId, input.reason());
    }

    @DELETE
    @Path("/{holdId}")
    @RolesAllowed({ Roles.OPERATOR, Roles.ADMIN })
    @Operation(summary = "Release a legal hold (same as POST …/release): ?reason= is required; the row stays")
    public HoldView releaseByDelete(@PathParam("holdId") String holdId, @QueryParam("reason") String reason) {
        return release(holdId, reason);
    }

    private HoldView release(String holdId, String reason) {
        UUID id;
        try {
            id = UUID.fromString(holdId);
        } catch (IllegalArgumentException e) {
            throw ApiException.notFound("hold");
        }
        String why = Inputs.text("reason", reason, 500, true);
        return HoldView.of(holds.release(caller.tenantId(), id, why, caller.actor()), clock.instant());
    }
}
