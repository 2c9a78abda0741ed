package io.privacyplatform.request.rest;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.privacyplatform.request.RequestStatus;
import io.privacyplatform.request.RequestType;
import io.privacyplatform.request.RightsRequest;
import io.privacyplatform.request.mapping.RequestViews;
import io.privacyplatform.request.mapping.RequestViews.AuditEntryView;
import io.privacyplatform.request.mapping.RequestViews.RequestView;
import io.privacyplatform.request.repository.RightsRequestRepository.Filter;
import io.privacyplatform.request.service.RequestQueries;
import io.privacyplatform.request.service.AuditChain;
import io.privacyplatform.request.service.DeadlineCalendar;
import io.privacyplatform.request.service.ExportAssembler;
import io.privacyplatform.request.service.RequestDataRetention;
import io.privacyplatform.request.service.RequestLifecycle;
import io.privacyplatform.request.service.RequestLifecycle.Submission;
import io.privacyplatform.request.service.RequestLifecycle.VerificationAttempt;
import io.privacyplatform.support.auth.Caller;
import io.privacyplatform.support.auth.Roles;
import io.privacyplatform.support.error.ApiException;
import io.privacyplatform.support.time.AcceptedInstants;
import io.privacyplatform.support.error.ErrorResponse.FieldProblem;
import io.privacyplatform.support.idempotency.IdempotentRequests;
import io.privacyplatform.support.rest.Page;
import io.privacyplatform.support.rest.PageCursor;

@Path("/v1/requests")
@Tag(name = "Rights requests", description = "Data-subject rights requests, their deadlines, audit and exports")
@Produces(MediaType.APPLICATION_JSON)
public class RightsRequestResource {

    private static final String TENANT_ID = "[A-Za-z0-9][A-Za-z0-9._-]*";

    @Inject
    Caller caller;

    @Inject
    RequestLifecycle lifecycle;

    @Inject
    RequestQueries requests;

    @Inject
    RequestViews views;

    @Inject
    AuditChain audit;

    @Inject
    DeadlineCalendar calendar;

    @Inject
    ExportAssembler exports;

    @Inject
    IdempotentRequests idempotent;

    @Inject
    RequestDataRetention dataRetention;

    @Inject
    ObjectMapper mapper;

    public record NewRequest(
            @NotBlank String type,
            @NotBlank @Size(max = 200) String subjectId,
            @Email @Size(max = 320) String contactEmail,
            @Size(max = 20) String regulation,
            @Size(max = 2000) String details,
            @Size(max = 50) Map<@NotBlank @Size(max = 100) String, @NotNull @Size(max = 1000) String> rectification,
            Boolean identityVerified,
            @Size(max = 200) String verifiedBy,
            @Size(max = 100) @Pattern(regexp = TENANT_ID) String controllerTenantId) {
    }

    public record VerificationBody(@Pattern(regexp = "\\d{6}", message = "must be 6 digits") String code,
            @Size(max = 200) String verifiedBy) {
    }

    public record ExtensionBody(@NotNull @Min(1) @Max(2) Integer months, @NotBlank @Size(max = 2000) String reason) {
    }

    public record ReasonBody(@NotBlank @Size(max = 2000) String reason) {
    }

    public record CancellationBody(@Size(max = 2000) String reason) {
    }

    public record ResolutionBody(@NotBlank @Size(max = 200) String outcome,
            @NotBlank @Size(max = 2000) String reason) {
    }

    public record IdentifiersBody(@NotBlank @Email @Size(max = 320) String email) {
    }

    public record AuditTrail(String requestId, List<AuditEntryView> entries) {
    }

    public record ChainVerification(boolean valid, Integer brokenAt, int entries) {
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({ Roles.APP, Roles.OPERATOR })
    @Operation(summary = "Submit a rights request", description = "Answers 201 with the request, its due date and "
            + "days left. Without identityVerified (and verifiedBy) a 6-digit code goes to contactEmail. Honours "
            + "Idempotency-Key. controllerTenantId (platform tenant only) routes the request to that controller.")
    public Response submit(@Valid NewRequest body, @HeaderParam(IdempotentRequests.HEADER) String key) {
        Submission submission = validate(body);
        String tenant = caller.tenantId();
        String actor = caller.actor();
        return idempotent.run(tenant, "POST /v1/requests", key, body, () -> new IdempotentRequests.Result(201,
                views.view(lifecycle.submit(tenant, actor, submission))));
    }

    private Submission validate(NewRequest body) {
        if (body == null) {
            throw ApiException.validation("$", "a body is required");
        }
        List<FieldProblem> problems = new ArrayList<>();
        RequestType type = RequestType.fromWire(body.type()).orElse(null);
        if (type == null) {
            problems.add(new FieldProblem("type", "must be one of " + RequestType.wireValues()));
        }
        String regulation = calendar.regulation(body.regulation()).orElse(null);
        if (regulation == null) {
            problems.add(new FieldProblem("regulation", "must be one of " + calendar.regulations()));
        }
        boolean verified = Boolean.TRUE.equals(body.identityVerified());
        if (verified && (body.verifiedBy() == null || body.verifiedBy().isBlank())) {
            problems.add(new FieldProblem("verifiedBy", "is required when identityVerified is true"));
        }
        if (!verified && body.verifiedBy() != null) {
            problems.add(new FieldProblem("verifiedBy", "is allowed only with identityVerified true"));
        }
        boolean routed = body.controllerTenantId() != null;
        if ((!verified || routed) && (body.contactEmail() == null || body.contactEmail().isBlank())) {
            problems.add(new FieldProblem("contactEmail",
                    routed ? "is required to tell the requester who the controller is"
                            : "is required to send the verification code"));
        }
        Map<String, String> rectification = body.rectification() == null ? Map.of() : body.rectification();
        if (type == RequestType.RECTIFICATION && rectification.isEmpty()) {
            problems.add(new FieldProblem("rectification", "is required for a rectification: {field: newValue}"));
        }
        if (type != null && type != RequestType.RECTIFICATION && !rectification.isEmpty()) {
            problems.add(new FieldProblem("rectification", "is allowed only for type rectification"));
        }
        if (routed && !caller.isPlatform()) {
            problems.add(new FieldProblem("controllerTenantId", "may be set by the platform tenant only"));
        }
        if (routed && caller.isPlatform() && body.controllerTenantId().equals(caller.tenantId())) {
            problems.add(new FieldProblem("controllerTenantId", "must be another tenant"));
        }
        if (!problems.isEmpty()) {
            throw ApiException.validation(problems);
        }
        return new Submission(type, body.subjectId(), body.contactEmail(), regulation, body.details(),
                rectification, verified, verified ? body.verifiedBy() : null, body.controllerTenantId());
    }

    @GET
    @RolesAllowed(Roles.OPERATOR)
    @Transactional
    @Operation(summary = "List requests, newest first", description = "Filters: status, type, overdue=true|false, "
            + "dueBefore (ISO-8601 instant, on the effective due date); cursor-paginated (limit 1-200, default 50).")
    public Page<RequestView> list(@QueryParam("status") String status, @QueryParam("type") String type,
            @QueryParam("overdue") String overdue, @QueryParam("dueBefore") String dueBefore,
            @QueryParam("limit") Integer limit, @QueryParam("cursor") String cursor) {
        Filter filter = filter(status, type, overdue, dueBefore);
        int size = PageCursor.limit(limit);
        PageCursor after = PageCursor.decode(cursor);
        List<RightsRequest> rows = requests.page(caller.tenantId(), filter, after, size);
        String next = null;
        if (rows.size() > size) {
            rows = rows.subList(0, size);
            RightsRequest last = rows.get(size - 1);
            next = new PageCursor(last.receivedAt, last.id.toString()).encode();
        }
        return new Page<>(rows.stream().map(views::view).toList(), next);
    }

    static Filter filter(String status, String type, String overdue, String dueBefore) {
        List<FieldProblem> problems = new ArrayList<>();
        RequestStatus byStatus = null;
        if (status != null && !status.isBlank()) {
            byStatus = RequestStatus.fromWire(status).orElse(null);
            if (byStatus == null) {
                problems.add(new FieldProblem("status", "must be one of " + RequestStatus.wireValues()));
            }
        }
        RequestType byType = null;
        if (type != null && !type.isBlank()) {
            byType = RequestType.fromWire(type).orElse(null);
            if (byType == null) {
                problems.add(new FieldProblem("type", "must be one of " + RequestType.wireValues()));
            }
        }
        Boolean byOverdue = null;
        if (overdue != null && !overdue.isBlank()) {
            if (!overdue.equals("true") && !overdue.equals("false")) {
                problems.add(new FieldProblem("overdue", "must be true or false"));
            } else {
                byOverdue = Boolean.valueOf(overdue);
            }
        }
        Instant before = null;
        if (dueBefore != null && !dueBefore.isBlank()) {
            before = AcceptedInstants.parse(dueBefore).orElse(null);
            if (before == null) {
                problems.add(new FieldProblem("dueBefore", AcceptedInstants.PROBLEM));
            }
        }
        if (!problems.isEmpty()) {
            throw ApiException.validation(problems);
        }
        return new Filter(byStatus, byType, byOverdue, before, false);
    }

    @GET
    @Path("/{id}")
    @RolesAllowed({ Roles.APP, Roles.OPERATOR })
    @Transactional
    @Operation(summary = "A request: status, due dates, days left, per-system progress and outcome")
    public RequestView get(@PathParam("id") UUID id) {
        return views.view(requests.get(caller.tenantId(), id));
    }

    @POST
    @Path("/{id}/verification")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({ Roles.APP, Roles.OPERATOR })
    @Operation(summary = "Verify the requester's identity", description = "{code}: the 6-digit code sent to the "
            + "requester (5 attempts, 24 h); wrong → 422 wrong_code, locked → 423 verification_locked, expired → "
            + "410 verification_expired. {verifiedBy}: the app or operator vouches for the identity instead.")
    public RequestView verify(@PathParam("id") UUID id, @Valid VerificationBody body) {
        if (body == null || (body.code() == null) == (body.verifiedBy() == null || body.verifiedBy().isBlank())) {
            throw ApiException.validation("code", "give either code or verifiedBy");
        }
        String tenant = caller.tenantId();
        if (body.code() == null) {
            return views.view(lifecycle.vouch(tenant, caller.actor(), id, body.verifiedBy()));
        }
        VerificationAttempt attempt = lifecycle.verifyCode(tenant, caller.actor(), id, body.code());
        return switch (attempt.result()) {
            case VERIFIED -> views.view(attempt.request());
            case WRONG_CODE -> throw ApiException.unprocessable("wrong_code",
                    "the code is wrong; " + attempt.attemptsLeft() + " attempt(s) left", null);
            case LOCKED -> throw new ApiException(423, "verification_locked",
                    "too many wrong codes: verification is locked", null);
            case EXPIRED -> throw new ApiException(410, "verification_expired", "the code has expired", null);
            case NOT_PENDING -> throw ApiException.conflict("verification_not_pending",
                    "no code is pending for this request (status " + attempt.request().status.wire() + ")");
        };
    }

    public record CodeSent(String requestId, Instant expiresAt) {
    }

    @POST
    @Path("/{id}/verification-code")
    @RolesAllowed({ Roles.APP, Roles.OPERATOR })
    @Operation(summary = "Send a new verification code", description = "For a code that expired or never "
            + "arrived: 202 with the new expiry. Wrong attempts count across codes (423 once locked); 409 when no "
            + "verification is pending.")
    public Response reissueCode(@PathParam("id") UUID id) {
        RightsRequest request = lifecycle.reissueCode(caller.tenantId(), caller.actor(), id);
        return Response.accepted(new CodeSent(request.id.toString(), request.verificationExpiresAt))
                .type(MediaType.APPLICATION_JSON).build();
    }

    @POST
    @Path("/{id}/extension")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.OPERATOR)
    @Operation(summary = "Extend the deadline once by 1 or 2 months, with a reason, before the original due date")
    public RequestView extend(@PathParam("id") UUID id, @Valid @NotNull ExtensionBody body) {
        return views.view(lifecycle.extend(caller.tenantId(), caller.actor(), id, body.months(), body.reason()));
    }

    @POST
    @Path("/{id}/denial")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.OPERATOR)
    @Operation(summary = "Deny the request, with a reason")
    public RequestView deny(@PathParam("id") UUID id, @Valid @NotNull ReasonBody body) {
        return views.view(lifecycle.deny(caller.tenantId(), caller.actor(), id, body.reason()));
    }

    @POST
    @Path("/{id}/cancellation")
    @Consumes(MediaType.WILDCARD)
    @RolesAllowed({ Roles.APP, Roles.OPERATOR })
    @Operation(summary = "Cancel the request (the requester withdrew it); the body {reason} is optional")
    public RequestView cancel(@PathParam("id") UUID id, String raw) throws JsonProcessingException {
        // The body is optional, so a POST without one (and without a content type) is fine too.
        CancellationBody body = raw == null || raw.isBlank() ? new CancellationBody(null)
                : mapper.readValue(raw, CancellationBody.class);
        if (body == null) {
            body = new CancellationBody(null);
        }
        if (body.reason() != null && body.reason().length() > 2000) {
            throw ApiException.validation("reason", "size must be between 0 and 2000");
        }
        return views.view(lifecycle.cancel(caller.tenantId(), caller.actor(), id, body.reason()));
    }

    @POST
    @Path("/{id}/resolution")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.OPERATOR)
    @Operation(summary = "Resolve a request that waits for an operator", description = "{outcome, reason}: completes "
            + "a request in status action_required with the outcome the operator recorded (409 in any other status); "
            + "audited and told to the requester.")
    public RequestView resolve(@PathParam("id") UUID id, @Valid @NotNull ResolutionBody body) {
        return views.view(lifecycle.resolve(caller.tenantId(), caller.actor(), id, body.outcome().trim(),
                body.reason().trim()));
    }

    @POST
    @Path("/{id}/identifiers")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.OPERATOR)
    @Operation(summary = "Add an identifier the stores need", description = "{email}: for a request in progress or "
            + "waiting for a missing identifier (409 otherwise); the stores that need it are then searched. The "
            + "audit names the identifier, never the address.")
    public RequestView addIdentifiers(@PathParam("id") UUID id, @Valid @NotNull IdentifiersBody body) {
        return views.view(lifecycle.addEmail(caller.tenantId(), caller.actor(), id, body.email().trim()));
    }

    @POST
    @Path("/{id}/restriction-lift")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.OPERATOR)
    @Operation(summary = "Lift the restriction of a verified restriction request, once, with a reason",
            description = "The stores that restricted the subject's data lift it; the requester is told. 409 for "
                    + "another type, an unverified request, or a second lift.")
    public RequestView liftRestriction(@PathParam("id") UUID id, @Valid @NotNull ReasonBody body) {
        return views.view(lifecycle.liftRestriction(caller.tenantId(), caller.actor(), id, body.reason().trim()));
    }

    @GET
    @Path("/{id}/audit")
    @RolesAllowed(Roles.OPERATOR)
    @Transactional
    @Operation(summary = "The request's append-only audit trail, hash-chained")
    public AuditTrail audit(@PathParam("id") UUID id) {
        RightsRequest request = requests.get(caller.tenantId(), id);
        return new AuditTrail(request.id.toString(),
                audit.entries(request.id).stream().map(RequestViews::view).toList());
    }

    @GET
    @Path("/{id}/audit/verification")
    @RolesAllowed(Roles.OPERATOR)
    @Transactional
    @Operation(summary = "Recompute the audit chain", description = "{valid, brokenAt}: brokenAt is the first seq "
            + "whose hash or link does not match.")
    public ChainVerification verifyAudit(@PathParam("id") UUID id) {
        AuditChain.Verification result = audit.verify(requests.get(caller.tenantId(), id));
        return new ChainVerification(result.valid(), result.brokenAt(), result.entries());
    }

    @GET
    @Path("/{id}/export")
    @Produces({ MediaType.APPLICATION_JSON, "application/zip" })
    @RolesAllowed({ Roles.APP, Roles.OPERATOR })
    @Transactional
    @Operation(summary = "The data the stores exported (access, portability, information; once completed)",
            description = "format=json (default): one document with a manifest; format=csv: a zip of one CSV per "
                    + "system. 404 before completion; 410 once its copies are deleted (requests.exports.keep-after-delivery "
                    + "after the first download).")
    public Response export(@PathParam("id") UUID id, @QueryParam("format") String format) {
        String tenant = caller.tenantId();
        if (format != null && !format.equals("json") && !format.equals("csv")) {
            throw ApiException.validation("format", "must be json or csv");
        }
        RightsRequest request = requests.get(tenant, id);
        ExportAssembler.Export export = exports.assemble(request);
        dataRetention.delivered(request);
        if ("csv".equals(format)) {
            return Response.ok(exports.csvZip(export), "application/zip")
                    .header("Content-Disposition", "attachment; filename=\"export-" + id + ".zip\"").build();
        }
        return Response.ok(export.document(), MediaType.APPLICATION_JSON).build();
    }
}
