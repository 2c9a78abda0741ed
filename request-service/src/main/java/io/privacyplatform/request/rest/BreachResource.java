package io.privacyplatform.request.rest;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
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
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.privacyplatform.request.Breach;
import io.privacyplatform.request.BreachStatus;
import io.privacyplatform.request.mapping.BreachViews;
import io.privacyplatform.request.mapping.BreachViews.BreachView;
import io.privacyplatform.request.mapping.RequestViews;
import io.privacyplatform.request.mapping.RequestViews.AuditEntryView;
import io.privacyplatform.request.repository.BreachRepository.Filter;
import io.privacyplatform.request.rest.RightsRequestResource.ChainVerification;
import io.privacyplatform.request.service.AuditChain;
import io.privacyplatform.request.service.BreachRegister;
import io.privacyplatform.request.service.BreachRegister.AuthorityNotice;
import io.privacyplatform.request.service.BreachRegister.BreachChanges;
import io.privacyplatform.request.service.BreachRegister.NewBreach;
import io.privacyplatform.request.service.BreachRegister.Recipient;
import io.privacyplatform.request.service.BreachRegister.SubjectNotice;
import io.privacyplatform.support.auth.Caller;
import io.privacyplatform.support.auth.Roles;
import io.privacyplatform.support.error.ApiException;
import io.privacyplatform.support.error.ErrorResponse.FieldProblem;
import io.privacyplatform.support.idempotency.IdempotentRequests;
import io.privacyplatform.support.rest.Page;
import io.privacyplatform.support.rest.PageCursor;
import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateData;

/**
 * The breach register (Art. 33/34 GDPR) for operators and admins of a tenant: record a breach, update what the
 * investigation learns, record the supervisory authority's notification (it stops the 72-hour clock), notify the
 * affected subjects, read the audit chain, export the register (JSON, or HTML ready to print to PDF). Every input is
 * checked before anything is stored; another tenant's breach is a 404.
 */
@Path("/v1/breaches")
@Tag(name = "Breach register", description = "Personal-data breaches, the 72-hour clock to notify the supervisory "
        + "authority, notices to affected subjects, audit and export")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({ Roles.ADMIN, Roles.OPERATOR })
public class BreachResource {

    private static final long MAX_SUBJECTS = 10_000_000_000L;

    @Inject
    Caller caller;

    @Inject
    BreachRegister register;

    @Inject
    BreachViews views;

    @Inject
    AuditChain audit;

    @Inject
    IdempotentRequests idempotent;

    @Inject
    Clock clock;

    @Inject
    @Location("breach-register.html")
    Template printable;

    public record NewBreachBody(
            @NotBlank @Size(max = 4000) String description,
            @NotNull Instant detectedAt,
            @NotNull @Size(min = 1, max = 50) List<@NotBlank @Size(max = 100) String> categories,
            @NotNull @Min(0) @Max(MAX_SUBJECTS) Long approximateSubjects,
            @NotNull @Size(min = 1, max = 50) List<@NotBlank @Size(max = 200) String> systems,
            @NotBlank @Size(max = 4000) String likelyConsequences,
            @NotBlank @Size(max = 4000) String measures) {
    }

    /** Every field optional (absent or null: unchanged), at least one given. */
    public record BreachChangesBody(
            @Size(max = 4000) String description,
            Instant detectedAt,
            @Size(min = 1, max = 50) List<@NotBlank @Size(max = 100) String> categories,
            @Min(0) @Max(MAX_SUBJECTS) Long approximateSubjects,
            @Size(min = 1, max = 50) List<@NotBlank @Size(max = 200) String> systems,
            @Size(max = 4000) String likelyConsequences,
            @Size(max = 4000) String measures,
            @Schema(enumeration = { "open", "contained", "closed" }) String status,
            @Size(max = 2000) String reason) {
    }

    public record AuthorityNotificationBody(@NotNull Instant notifiedAt, @Size(max = 200) String reference,
            @Size(max = 2000) String delayReason) {
    }

    public record RecipientBody(@NotBlank @Size(max = 200) String subjectId, @Email @Size(max = 320) String email) {
    }

    public record SubjectNotificationBody(
            @NotNull @Size(min = 1, max = 1000) List<@NotNull @Valid RecipientBody> recipients,
            @NotBlank @Size(max = 4000) String summary,
            @NotBlank @Size(max = 500) String contact) {
    }

    public record BreachAuditTrail(String breachId, List<AuditEntryView> entries) {
    }

    /** One breach of the exported register, with the state of its audit chain. */
    @TemplateData
    @TemplateData(target = ChainVerification.class)
    public record RegisterEntry(BreachView breach, ChainVerification auditChain) {
    }

    /** The register as exported: every breach of the tenant, in order of detection. */
    @TemplateData
    public record RegisterExport(String tenantId, Instant generatedAt, int count, List<RegisterEntry> breaches) {
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Record a personal-data breach", description = "Answers 201 with the breach and its "
            + "authority deadline (detectedAt + 72 h, Art. 33(1) GDPR). detectedAt must not be in the future. "
            + "Honours Idempotency-Key.")
    public Response record(@Valid @NotNull NewBreachBody body, @HeaderParam(IdempotentRequests.HEADER) String key) {
        NewBreach input = validate(body);
        String tenant = caller.tenantId();
        String actor = caller.actor();
        return idempotent.run(tenant, "POST /v1/breaches", key, body, () -> new IdempotentRequests.Result(201,
                views.view(register.record(tenant, actor, input))));
    }

    private NewBreach validate(NewBreachBody body) {
        List<FieldProblem> problems = new ArrayList<>();
        notInFuture(problems, "detectedAt", body.detectedAt());
        List<String> categories = distinct(problems, "categories", body.categories());
        List<String> systems = distinct(problems, "systems", body.systems());
        if (!problems.isEmpty()) {
            throw ApiException.validation(problems);
        }
        return new NewBreach(body.description().trim(), body.detectedAt(), categories, body.approximateSubjects(),
                systems, body.likelyConsequences().trim(), body.measures().trim());
    }

    @GET
    @Transactional
    @Operation(summary = "List the register, latest detected first", description = "Filters: status (open, "
            + "contained, closed), authorityNotified=true|false; cursor-paginated (limit 1-200, default 50).")
    public Page<BreachView> list(@QueryParam("status") String status,
            @QueryParam("authorityNotified") String authorityNotified, @QueryParam("limit") Integer limit,
            @QueryParam("cursor") String cursor) {
        List<FieldProblem> problems = new ArrayList<>();
        BreachStatus byStatus = status(problems, status);
        Boolean notified = null;
        if (authorityNotified != null && !authorityNotified.isBlank()) {
            if (!authorityNotified.equals("true") && !authorityNotified.equals("false")) {
                problems.add(new FieldProblem("authorityNotified", "must be true or false"));
            } else {
                notified = Boolean.valueOf(authorityNotified);
            }
        }
        if (!problems.isEmpty()) {
            throw ApiException.validation(problems);
        }
        int size = PageCursor.limit(limit);
        List<Breach> rows = register.page(caller.tenantId(), new Filter(byStatus, notified),
                PageCursor.decode(cursor), size);
        String next = null;
        if (rows.size() > size) {
            rows = rows.subList(0, size);
            Breach last = rows.get(size - 1);
            next = new PageCursor(last.detectedAt, last.id.toString()).encode();
        }
        Instant now = clock.instant();
        return new Page<>(rows.stream().map(b -> views.view(b, now)).toList(), next);
    }

    @GET
    @Path("/{id}")
    @Transactional
    @Operation(summary = "A breach: the facts, the 72-hour clock (hours left, overdue) and the notifications")
    public BreachView get(@PathParam("id") UUID id) {
        return views.view(register.get(caller.tenantId(), id));
    }

    @PATCH
    @Path("/{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Update a breach as the investigation goes on", description = "Any of description, "
            + "detectedAt (moves the deadline), categories, approximateSubjects, systems, likelyConsequences, "
            + "measures, status (open → contained → closed; with reason). Closing a breach whose authority was not "
            + "notified needs the reason why no notification was needed. A closed breach answers 409.")
    public BreachView update(@PathParam("id") UUID id, @Valid @NotNull BreachChangesBody body) {
        List<FieldProblem> problems = new ArrayList<>();
        String description = optionalText(problems, "description", body.description());
        String consequences = optionalText(problems, "likelyConsequences", body.likelyConsequences());
        String measures = optionalText(problems, "measures", body.measures());
        String reason = optionalText(problems, "reason", body.reason());
        if (body.detectedAt() != null) {
            notInFuture(problems, "detectedAt", body.detectedAt());
        }
        List<String> categories = body.categories() == null ? null
                : distinct(problems, "categories", body.categories());
        List<String> systems = body.systems() == null ? null : distinct(problems, "systems", body.systems());
        BreachStatus status = status(problems, optionalText(problems, "status", body.status()));
        if (reason != null && body.status() == null) {
            problems.add(new FieldProblem("reason", "is given with a change of status only"));
        }
        if (description == null && body.detectedAt() == null && categories == null
                && body.approximateSubjects() == null && systems == null && consequences == null && measures == null
                && body.status() == null && body.reason() == null) {
            problems.add(new FieldProblem("$", "name at least one field to change"));
        }
        if (!problems.isEmpty()) {
            throw ApiException.validation(problems);
        }
        return views.view(register.update(caller.tenantId(), caller.actor(), id, new BreachChanges(description,
                body.detectedAt(), categories, body.approximateSubjects(), systems, consequences, measures, status,
                reason)));
    }

    @POST
    @Path("/{id}/authority-notification")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Record the supervisory authority's notification: stops the 72-hour clock",
            description = "{notifiedAt, reference, delayReason}: notifiedAt between detection and now; after the 72 "
                    + "hours delayReason is required (Art. 33(1)). Once only (409 already_notified).")
    public BreachView notifyAuthority(@PathParam("id") UUID id, @Valid @NotNull AuthorityNotificationBody body) {
        List<FieldProblem> problems = new ArrayList<>();
        notInFuture(problems, "notifiedAt", body.notifiedAt());
        String reference = optionalText(problems, "reference", body.reference());
        String delayReason = optionalText(problems, "delayReason", body.delayReason());
        if (!problems.isEmpty()) {
            throw ApiException.validation(problems);
        }
        return views.view(register.notifyAuthority(caller.tenantId(), caller.actor(), id,
                new AuthorityNotice(body.notifiedAt(), reference, delayReason)));
    }

    @POST
    @Path("/{id}/subject-notifications")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Notify affected subjects (Art. 34)", description = "{recipients: [{subjectId, email}], "
            + "summary, contact}: one breach_notice per subject on privacy.notification.v1 (through the outbox), with "
            + "the register's likely consequences and measures; without an email the mailer looks the subject's "
            + "address up. 202 with the count; the register keeps only counts. Honours Idempotency-Key.")
    public Response notifySubjects(@PathParam("id") UUID id, @Valid @NotNull SubjectNotificationBody body,
            @HeaderParam(IdempotentRequests.HEADER) String key) {
        List<FieldProblem> problems = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        List<Recipient> recipients = new ArrayList<>();
        for (int i = 0; i < body.recipients().size(); i++) {
            RecipientBody recipient = body.recipients().get(i);
            String subjectId = recipient.subjectId().trim();
            if (!seen.add(subjectId)) {
                problems.add(new FieldProblem("recipients[" + i + "].subjectId", "is listed twice"));
            }
            String email = optionalText(problems, "recipients[" + i + "].email", recipient.email());
            recipients.add(new Recipient(subjectId, email));
        }
        if (!problems.isEmpty()) {
            throw ApiException.validation(problems);
        }
        SubjectNotice notice = new SubjectNotice(recipients, body.summary().trim(), body.contact().trim());
        String tenant = caller.tenantId();
        String actor = caller.actor();
        return idempotent.run(tenant, "POST /v1/breaches/" + id + "/subject-notifications", key, body,
                () -> new IdempotentRequests.Result(202, register.notifySubjects(tenant, actor, id, notice)));
    }

    @GET
    @Path("/{id}/audit")
    @Transactional
    @Operation(summary = "The breach's append-only audit trail, hash-chained like a request's")
    public BreachAuditTrail audit(@PathParam("id") UUID id) {
        Breach breach = register.get(caller.tenantId(), id);
        return new BreachAuditTrail(breach.id.toString(),
                audit.entries(breach.id).stream().map(RequestViews::view).toList());
    }

    @GET
    @Path("/{id}/audit/verification")
    @Transactional
    @Operation(summary = "Recompute the breach's audit chain", description = "{valid, brokenAt}: brokenAt is the "
            + "first seq whose hash or link does not match.")
    public ChainVerification verifyAudit(@PathParam("id") UUID id) {
        return verification(register.get(caller.tenantId(), id));
    }

    @GET
    @Path("/export")
    @Produces({ MediaType.APPLICATION_JSON, MediaType.TEXT_HTML })
    @Transactional
    @Operation(summary = "Export the register", description = "format=json (default): every breach of the tenant "
            + "in order of detection, with its clock, notifications and the state of its audit chain; format=html: "
            + "the same as a page ready to print (or save as PDF).")
    public Response export(@QueryParam("format") String format) {
        if (format != null && !format.equals("json") && !format.equals("html")) {
            throw ApiException.validation("format", "must be json or html");
        }
        String tenant = caller.tenantId();
        Instant now = clock.instant();
        List<RegisterEntry> entries = register.register(tenant).stream()
                .map(b -> new RegisterEntry(views.view(b, now), verification(b))).toList();
        RegisterExport export = new RegisterExport(tenant, now, entries.size(), entries);
        if ("html".equals(format)) {
            return Response.ok(printable.data("register", export), MediaType.TEXT_HTML_TYPE.withCharset("UTF-8"))
                    .build();
        }
        return Response.ok(export, MediaType.APPLICATION_JSON).build();
    }

    private ChainVerification verification(Breach breach) {
        AuditChain.Verification result = audit.verify(breach);
        return new ChainVerification(result.valid(), result.brokenAt(), result.entries());
    }

    private void notInFuture(List<FieldProblem> problems, String field, Instant at) {
        if (at != null && at.isAfter(clock.instant())) {
            problems.add(new FieldProblem(field, "must not be in the future"));
        }
    }

    private static BreachStatus status(List<FieldProblem> problems, String status) {
        if (status == null || status.isBlank()) {
            return null;
        }
        BreachStatus parsed = BreachStatus.fromWire(status).orElse(null);
        if (parsed == null) {
            problems.add(new FieldProblem("status", "must be one of " + BreachStatus.wireValues()));
        }
        return parsed;
    }

    /** Absent stays absent (null); present must not be blank, and is trimmed. */
    private static String optionalText(List<FieldProblem> problems, String field, String value) {
        if (value == null) {
            return null;
        }
        if (value.isBlank()) {
            problems.add(new FieldProblem(field, "must not be blank"));
            return null;
        }
        return value.trim();
    }

    /** The items trimmed; an item given twice is a problem (a register lists each category or system once). */
    private static List<String> distinct(List<FieldProblem> problems, String field, List<String> items) {
        List<String> trimmed = items.stream().map(String::trim).toList();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < trimmed.size(); i++) {
            if (!seen.add(trimmed.get(i))) {
                problems.add(new FieldProblem(field + "[" + i + "]", "is listed twice"));
            }
        }
        return trimmed;
    }
}
