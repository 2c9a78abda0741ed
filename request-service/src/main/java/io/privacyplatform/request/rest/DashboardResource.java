package io.privacyplatform.request.rest;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import jakarta.inject.Inject;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.privacyplatform.events.payload.RequestProgress.SystemProgress;
import io.privacyplatform.request.AuditEntry;
import io.privacyplatform.request.RequestStatus;
import io.privacyplatform.request.RequestType;
import io.privacyplatform.request.RightsRequest;
import io.privacyplatform.request.mapping.RequestViews;
import io.privacyplatform.request.repository.RightsRequestRepository.Filter;
import io.privacyplatform.request.service.RequestQueries;
import io.privacyplatform.request.rest.OperatorSession.Operator;
import io.privacyplatform.request.rest.RightsRequestResource.IdentifiersBody;
import io.privacyplatform.request.rest.RightsRequestResource.ResolutionBody;
import io.privacyplatform.request.service.AuditChain;
import io.privacyplatform.request.service.DashboardCharts;
import io.privacyplatform.request.service.DeadlineCalendar;
import io.privacyplatform.request.service.RequestLifecycle;
import io.privacyplatform.support.error.ApiException;
import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateData;
import io.quarkus.qute.TemplateInstance;

/**
 * The operators' SLA dashboard: server-rendered pages (Qute), the most urgent open requests first, charts of the
 * tenant's figures (inline SVG, {@link DashboardCharts}), a request's audit trail and per-system progress, and forms
 * to extend or deny. Every page is scoped to the tenant of the
 * operator's session (opened with a token, see {@link OperatorSession}), like the API.
 */
@Path("/")
@Tag(name = "Operator dashboard",
        description = "HTML pages for operators (token sign-in, server-side session, CSRF-checked forms)")
public class DashboardResource {

    private static final int MAX_ROWS = 200;
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")
            .withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter SECOND = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
            .withZone(ZoneOffset.UTC);

    @Inject
    Template dashboard;

    @Inject
    Template login;

    @Inject
    Template request;

    @Inject
    Template message;

    @Inject
    OperatorSession session;

    @Inject
    RequestQueries requests;

    @Inject
    RequestLifecycle lifecycle;

    @Inject
    RequestViews views;

    @Inject
    AuditChain audit;

    @Inject
    DeadlineCalendar calendar;

    @Inject
    Clock clock;

    @Inject
    Validator validator;

    @Inject
    DashboardCharts charts;

    /** One row of the queue, ready to print. */
    @TemplateData
    public record Row(String id, String shortId, String type, String status, String subjectId, String received,
            String due, long daysLeft, String urgency, boolean extended, String actionReason) {
    }

    @TemplateData
    public record Count(String name, long count) {
    }

    @TemplateData
    public record AuditLine(int seq, String at, String actor, String action, String detail, String hash) {
    }

    @TemplateData
    public record SystemLine(String system, String kind, String state, String outcome, long records, int attempts,
            String updated, String detail) {
    }

    @GET
    @Produces(MediaType.TEXT_HTML)
    @Transactional
    @Operation(summary = "The dashboard: open requests by urgency, counts, filters (type, status), charts (inline SVG)")
    public Response queue(@CookieParam(OperatorSession.COOKIE) String sessionId, @QueryParam("type") String type,
            @QueryParam("status") String status) {
        Optional<Operator> operator = session.current(sessionId);
        if (operator.isEmpty()) {
            return Response.seeOther(URI.create("/login")).build();
        }
        String tenant = operator.get().tenantId();
        RequestType byType = type == null || type.isBlank() ? null : RequestType.fromWire(type).orElse(null);
        RequestStatus byStatus = status == null || status.isBlank() ? null
                : RequestStatus.fromWire(status).orElse(null);
        Instant now = clock.instant();
        List<Row> rows = requests.byUrgency(tenant, new Filter(byStatus, byType, null, null, byStatus == null),
                MAX_ROWS, now).stream().map(r -> row(r, now)).toList();
        List<Count> byStatusCounts = new ArrayList<>();
        requests.countByStatus(tenant).forEach((s, n) -> byStatusCounts.add(new Count(s.wire(), n)));
        List<Count> byTypeCounts = new ArrayList<>();
        requests.countOpenByType(tenant).forEach((t, n) -> byTypeCounts.add(new Count(t.wire(), n)));
        long overdue = rows.stream().filter(r -> r.urgency().equals("overdue")).count();
        long dueSoon = rows.stream().filter(r -> r.urgency().equals("due-soon")).count();
        long actionRequired = rows.stream().filter(r -> r.actionReason() != null).count();
        TemplateInstance page = dashboard.data("operator", operator.get())
                .data("rows", rows)
                .data("statusCounts", byStatusCounts)
                .data("typeCounts", byTypeCounts)
                .data("overdue", overdue)
                .data("dueSoon", dueSoon)
                .data("actionRequired", actionRequired)
                .data("types", RequestType.wireValues())
                .data("statuses", RequestStatus.wireValues())
                .data("type", byType == null ? "" : byType.wire())
                .data("status", byStatus == null ? "" : byStatus.wire())
                .data("now", DAY.format(now))
                .data("limit", MAX_ROWS)
                .data("charts", charts.of(tenant, now));
        return Response.ok(page).build();
    }

    private Row row(RightsRequest r, Instant now) {
        Instant due = r.effectiveDueAt();
        long daysLeft = DeadlineCalendar.daysLeft(now, due);
        String urgency = !r.status.open() ? "closed"
                : DeadlineCalendar.overdue(now, due) ? "overdue" : daysLeft <= 7 ? "due-soon" : "on-track";
        return new Row(r.id.toString(), r.id.toString().substring(0, 8), r.type.wire(), r.status.wire(),
                r.subjectId, DAY.format(r.receivedAt), DAY.format(due), daysLeft, urgency, r.extendedDueAt != null,
                r.status == RequestStatus.ACTION_REQUIRED ? reasonShown(r.actionReason) : null);
    }

    private static String reasonShown(String reason) {
        return reason == null || reason.isBlank() ? "an operator must act" : reason;
    }

    @GET
    @Path("/login")
    @Produces(MediaType.TEXT_HTML)
    @Operation(summary = "The operator login form (paste a bearer token)")
    public TemplateInstance loginForm(@QueryParam("error") String error) {
        return login.data("error", error);
    }

    @POST
    @Path("/login")
    @Produces(MediaType.TEXT_HTML)
    @Operation(summary = "Sign in with an operator token; opens a server-side session (HttpOnly session cookie)")
    public Response signIn(@CookieParam(OperatorSession.COOKIE) String previousSessionId,
            @FormParam("token") String token) {
        // No session yet, so no CSRF token: the origin check keeps other sites from signing an operator in.
        session.requireSameOrigin();
        Optional<OperatorSession.SignedIn> signedIn = session.signIn(token);
        if (signedIn.isEmpty()) {
            return Response.status(401).entity(login.data("error",
                    "This token is not valid, has expired, or has no operator role.")).build();
        }
        // A new sign-in replaces the browser's earlier session rather than leaving it open.
        session.signOut(previousSessionId);
        return Response.seeOther(URI.create("/"))
                .cookie(session.cookie(signedIn.get().sessionId(), signedIn.get().lifetime())).build();
    }

    @POST
    @Path("/logout")
    @Operation(summary = "Sign out: ends the server-side session and clears the session cookie (form: csrf)")
    public Response signOut(@CookieParam(OperatorSession.COOKIE) String sessionId,
            @FormParam(OperatorSession.CSRF_FIELD) String csrf) {
        if (session.requireForm(sessionId, csrf).isPresent()) {
            session.signOut(sessionId);
        }
        return Response.seeOther(URI.create("/login")).cookie(session.clearedCookie()).build();
    }

    @GET
    @Path("/requests/{id}")
    @Produces(MediaType.TEXT_HTML)
    @Transactional
    @Operation(summary = "A request's page: deadlines, per-system progress, audit trail, extension and denial")
    public Response detail(@CookieParam(OperatorSession.COOKIE) String sessionId, @PathParam("id") UUID id,
            @QueryParam("notice") String notice, @QueryParam("error") String error) {
        Optional<Operator> operator = session.current(sessionId);
        if (operator.isEmpty()) {
            return Response.seeOther(URI.create("/login")).build();
        }
        Optional<RightsRequest> found = requests.find(operator.get().tenantId(), id);
        if (found.isEmpty()) {
            return Response.status(404).entity(message.data("title", "Not found")
                    .data("text", "There is no such request in your queue.")).build();
        }
        RightsRequest r = found.get();
        Instant now = clock.instant();
        List<AuditLine> trail = audit.entries(r.id).stream().map(DashboardResource::line).toList();
        List<SystemLine> systems = views.systems(r).stream().map(DashboardResource::line).toList();
        AuditChain.Verification chain = audit.verify(r);
        boolean open = r.status.open();
        TemplateInstance page = request.data("operator", operator.get())
                .data("r", row(r, now))
                .data("regulation", r.regulation.toUpperCase())
                .data("details", r.details)
                .data("originalDue", DAY.format(r.dueAt))
                .data("extendedDue", r.extendedDueAt == null ? null : DAY.format(r.extendedDueAt))
                .data("extensionReason", r.extensionReason)
                .data("outcomeReason", r.outcomeReason)
                .data("resolution", r.resolution)
                .data("missingIdentifiers", String.join(", ", views.missingIdentifiers(r)))
                .data("restrictionLiftedAt", r.restrictionLiftedAt == null ? null : DAY.format(r.restrictionLiftedAt))
                .data("progressState", r.progressState)
                .data("systems", systems)
                .data("trail", trail)
                .data("chainValid", chain.valid())
                .data("chainBrokenAt", chain.brokenAt())
                .data("canExtend", open && r.extendedDueAt == null && now.isBefore(r.dueAt))
                .data("canDeny", open)
                .data("canResolve", r.status == RequestStatus.ACTION_REQUIRED)
                .data("canAddEmail", r.status == RequestStatus.IN_PROGRESS
                        || (r.status == RequestStatus.ACTION_REQUIRED && !views.missingIdentifiers(r).isEmpty()))
                .data("canLift", r.type == RequestType.RESTRICTION && r.verifiedAt != null
                        && r.restrictionLiftedAt == null)
                .data("notice", notice)
                .data("error", error);
        return Response.ok(page).build();
    }

    private static AuditLine line(AuditEntry e) {
        return new AuditLine(e.seq, SECOND.format(e.at), e.actor, e.action, e.detail, e.hash.substring(0, 12));
    }

    private static SystemLine line(SystemProgress s) {
        return new SystemLine(s.system(), s.kind(), s.state(), s.outcome() == null ? "" : s.outcome().name(),
                s.records(), s.attempts(), s.updatedAt() == null ? "" : SECOND.format(s.updatedAt()),
                s.detail() == null ? "" : s.detail());
    }

    @POST
    @Path("/requests/{id}/extension")
    @Operation(summary = "Extend from the dashboard (form: months, reason)")
    public Response extend(@CookieParam(OperatorSession.COOKIE) String sessionId,
            @FormParam(OperatorSession.CSRF_FIELD) String csrf, @PathParam("id") UUID id,
            @FormParam("months") String months, @FormParam("reason") String reason) {
        return act(sessionId, csrf, id, "extended", operator -> {
            int count = "2".equals(months) ? 2 : "1".equals(months) ? 1 : 0;
            if (count == 0) {
                throw ApiException.validation("months", "must be 1 or 2");
            }
            lifecycle.extend(operator.tenantId(), operator.name(), id, count, required(reason));
        });
    }

    @POST
    @Path("/requests/{id}/denial")
    @Operation(summary = "Deny from the dashboard (form: reason)")
    public Response deny(@CookieParam(OperatorSession.COOKIE) String sessionId,
            @FormParam(OperatorSession.CSRF_FIELD) String csrf, @PathParam("id") UUID id,
            @FormParam("reason") String reason) {
        return act(sessionId, csrf, id, "denied",
                operator -> lifecycle.deny(operator.tenantId(), operator.name(), id, required(reason)));
    }

    @POST
    @Path("/requests/{id}/resolution")
    @Operation(summary = "Resolve a request waiting for an operator from the dashboard (form: outcome, reason)")
    public Response resolve(@CookieParam(OperatorSession.COOKIE) String sessionId,
            @FormParam(OperatorSession.CSRF_FIELD) String csrf, @PathParam("id") UUID id,
            @FormParam("outcome") String outcome, @FormParam("reason") String reason) {
        return act(sessionId, csrf, id, "resolved", operator -> {
            ResolutionBody body = valid(new ResolutionBody(outcome, reason));
            lifecycle.resolve(operator.tenantId(), operator.name(), id, body.outcome().trim(), body.reason().trim());
        });
    }

    @POST
    @Path("/requests/{id}/identifiers")
    @Operation(summary = "Add the e-mail address stores need from the dashboard (form: email)")
    public Response addIdentifiers(@CookieParam(OperatorSession.COOKIE) String sessionId,
            @FormParam(OperatorSession.CSRF_FIELD) String csrf, @PathParam("id") UUID id,
            @FormParam("email") String email) {
        return act(sessionId, csrf, id, "updated", operator -> lifecycle.addEmail(operator.tenantId(), operator.name(),
                id, valid(new IdentifiersBody(email == null ? null : email.trim())).email()));
    }

    @POST
    @Path("/requests/{id}/restriction-lift")
    @Operation(summary = "Lift a restriction from the dashboard (form: reason)")
    public Response liftRestriction(@CookieParam(OperatorSession.COOKIE) String sessionId,
            @FormParam(OperatorSession.CSRF_FIELD) String csrf, @PathParam("id") UUID id,
            @FormParam("reason") String reason) {
        return act(sessionId, csrf, id, "updated",
                operator -> lifecycle.liftRestriction(operator.tenantId(), operator.name(), id, required(reason)));
    }

    /** A form checked with the constraints of the API's body, so both accept the same input. */
    private <T> T valid(T body) {
        Set<ConstraintViolation<T>> violations = validator.validate(body);
        if (!violations.isEmpty()) {
            ConstraintViolation<T> first = violations.iterator().next();
            throw ApiException.validation(first.getPropertyPath().toString(), first.getMessage());
        }
        return body;
    }

    private static String required(String reason) {
        if (reason == null || reason.isBlank()) {
            throw ApiException.validation("reason", "a reason is required");
        }
        if (reason.length() > 2000) {
            throw ApiException.validation("reason", "at most 2000 characters");
        }
        return reason.trim();
    }

    private interface Action {
        void run(Operator operator);
    }

    /**
     * Checks the form (origin, session, CSRF token: 403 otherwise), runs its action and goes back to the request's
     * page (post/redirect/get), with a notice or the error.
     */
    private Response act(String sessionId, String csrf, UUID id, String notice, Action action) {
        Optional<Operator> operator = session.requireForm(sessionId, csrf);
        if (operator.isEmpty()) {
            return Response.seeOther(URI.create("/login")).build();
        }
        String query;
        try {
            action.run(operator.get());
            query = "notice=" + notice;
        } catch (ApiException e) {
            if (e.status() == 404) {
                return Response.status(404).entity(message.data("title", "Not found")
                    .data("text", "There is no such request in your queue.")).build();
            }
            String message = e.details().isEmpty() ? e.getMessage()
                    : e.details().get(0).field() + ": " + e.details().get(0).problem();
            query = "error=" + URLEncoder.encode(message, StandardCharsets.UTF_8);
        }
        return Response.seeOther(URI.create("/requests/" + id + "?" + query)).build();
    }
}
