package io.privacyplatform.request.rest;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

import jakarta.inject.Inject;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.privacyplatform.request.RequestType;
import io.privacyplatform.request.RightsRequest;
import io.privacyplatform.request.config.RequestsConfig;
import io.privacyplatform.request.mapping.PrivacyPageViews;
import io.privacyplatform.request.mapping.PrivacyPageViews.Entered;
import io.privacyplatform.request.mapping.PrivacyPageViews.Problem;
import io.privacyplatform.request.service.PrivacyPage;
import io.privacyplatform.request.service.PrivacyPageLimits;
import io.privacyplatform.request.service.PrivacyPageLimits.Action;
import io.privacyplatform.request.service.RequestLifecycle;
import io.privacyplatform.request.service.RequestLifecycle.Submission;
import io.privacyplatform.request.service.RequestLifecycle.VerificationAttempt;
import io.privacyplatform.support.error.ApiException;
import io.privacyplatform.support.ratelimit.RateDecision;
import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateInstance;
import io.vertx.core.http.HttpServerRequest;

/**
 * The public privacy page of a tenant (issue 15, part 3): a data subject submits a rights request without an
 * account, confirms it with the code e-mailed to them, follows it and downloads the export. The tenant is chosen by
 * the path ({@code /privacy/{tenant}}) and must offer the page ({@code requests.privacy-page.tenants}).
 * <p>
 * What a stranger cannot do: learn whether the tenant knows an address (every submission takes the same path and
 * gets the same answer, a redirect to the new request's page), read someone else's request (its page opens only with
 * the access token the submitting browser got in an HttpOnly cookie), post a form from another site (origin check and
 * a CSRF token derived from the access token, as on the dashboard: {@link FormGuard}), or try codes and addresses
 * at speed (rate limits per client and per address, shared by every instance; 429 with {@code Retry-After}; wrong
 * codes are counted and lock the request after {@code requests.verification.max-attempts}). Every answer is an HTML
 * page, errors too; every answer under {@code /privacy/} carries a strict Content-Security-Policy (no script, no
 * framing) and {@code Cache-Control: no-store} ({@link PrivacyPageHeadersFilter}).
 */
@Path("/privacy/{tenant}")
@PrivacyPageHeaders
@Tag(name = "Privacy page", description = "Public HTML pages for data subjects: submit a rights request, confirm "
        + "it with the e-mailed code, follow it, download the export once")
public class PrivacyPageResource {

    /** The cookie that opens one request's page; scoped by its path to that request. */
    public static final String ACCESS_COOKIE = "privacy_request_access";
    public static final String CSRF_FIELD = "csrf";

    private static final Pattern TENANT_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");
    private static final Pattern REQUEST_ID = Pattern.compile(
            "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    private static final Pattern CODE = Pattern.compile("\\d{6}");
    /** Control characters other than tab and line breaks have no place in a person's text (and NUL none in SQL). */
    private static final Pattern CONTROL = Pattern.compile("[\\x00-\\x08\\x0B\\x0C\\x0E-\\x1F\\x7F]");
    private static final byte[] CSRF_PURPOSE = "privacy-page-csrf-v1".getBytes(StandardCharsets.US_ASCII);

    @Inject
    @Location("privacy/form.html")
    Template form;

    @Inject
    @Location("privacy/request.html")
    Template requestPage;

    @Inject
    @Location("privacy/message.html")
    Template message;

    @Inject
    PrivacyPage privacyPage;

    @Inject
    PrivacyPageLimits limits;

    @Inject
    RequestLifecycle lifecycle;

    @Inject
    PrivacyPageViews views;

    @Inject
    FormGuard forms;

    @Inject
    RequestsConfig config;

    @Inject
    Validator validator;

    @Inject
    HttpServerRequest http;

    /** The form checks of the API's body, on the form's fields: nothing stored unless all pass. */
    public record FormInput(@NotBlank(message = "choose what you are asking for") String type,
            @NotBlank(message = "enter your e-mail address") @Email(message = "this is not an e-mail address")
            @Size(max = 320, message = "at most 320 characters") String email,
            @Size(max = 2000, message = "at most 2000 characters") String details,
            @Size(max = 100, message = "at most 100 characters") String field,
            @Size(max = 1000, message = "at most 1000 characters") String value) {
    }

    @GET
    @Produces(MediaType.TEXT_HTML)
    @Operation(summary = "The privacy page: the form to submit a rights request (404 for a tenant without the page)")
    public Response page(@PathParam("tenant") String tenant) {
        if (!offered(tenant)) {
            return noSuchPage();
        }
        return Response.ok(formPage(tenant, new Entered("", "", "", "", ""), List.of())).build();
    }

    @POST
    @Path("/requests")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    @Operation(summary = "Submit a rights request (form: type, email, details, field, value)", description = "Always "
            + "303 to the new request's page with its access cookie, whoever the address belongs to; 400 page for "
            + "invalid input (nothing stored), 403 from another origin, 429 with Retry-After past the limits.")
    public Response submit(@PathParam("tenant") String tenant, @FormParam("type") String type,
            @FormParam("email") String email, @FormParam("details") String details,
            @FormParam("field") String field, @FormParam("value") String value) {
        if (!offered(tenant)) {
            return noSuchPage();
        }
        Response refused = crossOrigin();
        if (refused != null) {
            return refused;
        }
        Entered entered = new Entered(text(type), text(email).trim(), text(details), text(field), text(value));
        List<Problem> problems = problems(entered);
        if (!problems.isEmpty()) {
            return Response.status(400).entity(formPage(tenant, entered, problems)).build();
        }
        String address = entered.email().toLowerCase(java.util.Locale.ROOT);
        Optional<RateDecision> limited = limits.refusal(Action.SUBMIT, clientAddress(), address);
        if (limited.isPresent()) {
            return tooMany(tenant, limited.get());
        }
        RequestType requestType = RequestType.fromWire(entered.type()).orElseThrow();
        Map<String, String> rectification = requestType == RequestType.RECTIFICATION
                ? Map.of(entered.field().trim(), entered.value().trim()) : Map.of();
        String said = entered.details().isBlank() ? null : entered.details().trim();
        // The person has no subject id of the tenant's: the address they gave is the identifier stores search by
        // (as OpenDSR's e-mail identity without a customer id), and where the code goes.
        Submission submission = new Submission(requestType, address, address, config.defaultRegulation(), said,
                rectification, false, null, null);
        PrivacyPage.Submitted submitted;
        try {
            submitted = privacyPage.submit(tenant, submission);
        } catch (ApiException e) {
            return failure(tenant, e);
        }
        String page = requestPath(tenant, submitted.request().id);
        return Response.seeOther(URI.create(page)).cookie(accessCookie(page, submitted.accessToken(),
                (int) Math.min(Integer.MAX_VALUE, submitted.accessLifetime().toSeconds()))).build();
    }

    @GET
    @Path("/requests/{id}")
    @Produces(MediaType.TEXT_HTML)
    @Operation(summary = "A request's page (with its access cookie only): code entry, status, due date, progress, "
            + "download")
    public Response request(@PathParam("tenant") String tenant, @PathParam("id") String id,
            @CookieParam(ACCESS_COOKIE) String token, @QueryParam("notice") String notice) {
        if (!offered(tenant)) {
            return noSuchPage();
        }
        Optional<RightsRequest> opened = open(tenant, id, token);
        if (opened.isEmpty()) {
            return noSuchRequest(tenant);
        }
        return Response.ok(requestPage(tenant, opened.get(), token).data("notice", views.notice(notice))).build();
    }

    @POST
    @Path("/requests/{id}/verification")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    @Operation(summary = "Enter the e-mailed code (form: csrf, code)", description = "303 to the page once verified; "
            + "422 page for a wrong code (attempts left), 423 once locked (a new request is needed), 410 expired, "
            + "429 with Retry-After past the limits.")
    public Response verify(@PathParam("tenant") String tenant, @PathParam("id") String id,
            @CookieParam(ACCESS_COOKIE) String token, @FormParam(CSRF_FIELD) String csrf,
            @FormParam("code") String code) {
        Guarded guarded = guard(tenant, id, token, csrf);
        if (guarded.refused() != null) {
            return guarded.refused();
        }
        RightsRequest request = guarded.request();
        String entered = text(code).replace(" ", "");
        if (!CODE.matcher(entered).matches()) {
            return Response.status(400).entity(requestPage(tenant, request, token)
                    .data("error", "The code has 6 digits.")).build();
        }
        Optional<RateDecision> limited = limits.refusal(Action.CODE, clientAddress(), request.contactEmail);
        if (limited.isPresent()) {
            return tooMany(tenant, limited.get());
        }
        VerificationAttempt attempt = lifecycle.verifyCode(tenant, PrivacyPage.ACTOR, request.id, entered);
        return switch (attempt.result()) {
            case VERIFIED -> Response.seeOther(URI.create(requestPath(tenant, request.id) + "?notice=verified"))
                    .build();
            // Confirmed meanwhile (another tab): the page shows where it stands.
            case NOT_PENDING -> Response.seeOther(URI.create(requestPath(tenant, request.id))).build();
            case WRONG_CODE -> Response.status(422).entity(requestPage(tenant, attempt.request(), token)
                    .data("error", "This code is not right. " + attempt.attemptsLeft()
                            + (attempt.attemptsLeft() == 1 ? " try" : " tries") + " left.")).build();
            case LOCKED -> Response.status(423).entity(requestPage(tenant, attempt.request(), token)
                    .data("error", "Too many wrong codes: this request is locked. Please submit a new request."))
                    .build();
            case EXPIRED -> Response.status(410).entity(requestPage(tenant, attempt.request(), token)
                    .data("error", "This code has expired. Ask for a new one below.")).build();
        };
    }

    @POST
    @Path("/requests/{id}/verification-code")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    @Operation(summary = "Send a new code (form: csrf)", description = "303 to the page; wrong attempts still count "
            + "(423 page once locked); 429 with Retry-After past the limits.")
    public Response resend(@PathParam("tenant") String tenant, @PathParam("id") String id,
            @CookieParam(ACCESS_COOKIE) String token, @FormParam(CSRF_FIELD) String csrf) {
        Guarded guarded = guard(tenant, id, token, csrf);
        if (guarded.refused() != null) {
            return guarded.refused();
        }
        RightsRequest request = guarded.request();
        Optional<RateDecision> limited = limits.refusal(Action.RESEND, clientAddress(), request.contactEmail);
        if (limited.isPresent()) {
            return tooMany(tenant, limited.get());
        }
        try {
            lifecycle.reissueCode(tenant, PrivacyPage.ACTOR, request.id);
        } catch (ApiException e) {
            if (e.status() == 423) {
                return Response.status(423).entity(requestPage(tenant, request, token).data("error",
                        "Too many wrong codes: this request is locked. Please submit a new request.")).build();
            }
            if (e.status() == 409) {
                return Response.seeOther(URI.create(requestPath(tenant, request.id))).build();
            }
            return failure(tenant, e);
        }
        return Response.seeOther(URI.create(requestPath(tenant, request.id) + "?notice=code_sent")).build();
    }

    @POST
    @Path("/requests/{id}/download-link")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    @Operation(summary = "A one-time download link for the completed request's export (form: csrf)",
            description = "The page again, with the link (it works once, for requests.privacy-page."
                    + "download-link-validity); 409 page while there is no export.")
    public Response downloadLink(@PathParam("tenant") String tenant, @PathParam("id") String id,
            @CookieParam(ACCESS_COOKIE) String token, @FormParam(CSRF_FIELD) String csrf) {
        Guarded guarded = guard(tenant, id, token, csrf);
        if (guarded.refused() != null) {
            return guarded.refused();
        }
        Optional<String> link = privacyPage.newDownloadLink(guarded.request());
        if (link.isEmpty()) {
            return Response.status(409).entity(requestPage(tenant, guarded.request(), token)
                    .data("error", "There is no export to download for this request.")).build();
        }
        return Response.ok(requestPage(tenant, guarded.request(), token)
                .data("downloadLink", "/privacy/" + tenant + "/exports/" + link.get())
                .data("downloadValidity", views.downloadValidity())).build();
    }

    @GET
    @Path("/exports/{token}")
    @Produces({ MediaType.APPLICATION_JSON, MediaType.TEXT_HTML })
    @Operation(summary = "Download the export once (JSON, as an attachment)", description = "410 page for a link "
            + "that was used, has expired, or is unknown.")
    public Response download(@PathParam("tenant") String tenant, @PathParam("token") String token) {
        if (!offered(tenant)) {
            return noSuchPage();
        }
        Optional<PrivacyPage.Download> download;
        try {
            download = privacyPage.download(tenant, token);
        } catch (ApiException e) {
            // The export's copies were deleted since the link was made (410 export_expired).
            download = Optional.empty();
        }
        if (download.isEmpty()) {
            return html(410, tenant, "This link no longer works",
                    "A download link works once and only for a limited time. Open your request's page again to get "
                            + "a new link.");
        }
        return Response.ok(download.get().document().toPrettyString(), MediaType.APPLICATION_JSON_TYPE)
                .header("Content-Disposition",
                        "attachment; filename=\"export-" + download.get().requestId() + ".json\"").build();
    }

    // ---- pages

    private TemplateInstance formPage(String tenant, Entered entered, List<Problem> problems) {
        return form.data("tenant", tenant).data("rights", views.rightChoices()).data("entered", entered)
                .data("problems", problems).data("problemOf", views.problemsByField(problems));
    }

    private TemplateInstance requestPage(String tenant, RightsRequest r, String token) {
        return requestPage.data("tenant", tenant).data("r", views.progress(r))
                .data("csrf", FormGuard.csrfToken(token, CSRF_PURPOSE))
                .data("action", requestPath(tenant, r.id)).data("error", null).data("notice", null)
                .data("downloadLink", null).data("downloadValidity", null);
    }

    private Response noSuchPage() {
        return html(404, null, "Page not found", "There is no privacy page at this address.");
    }

    /** The same page for an unknown request, another tenant's, or a browser without the request's access. */
    private Response noSuchRequest(String tenant) {
        return html(404, tenant, "Request not found", "This page opens only in the browser the request was "
                + "submitted from, for a limited time. You can submit a new request.");
    }

    private Response html(int status, String tenant, String title, String text) {
        // Explicitly HTML: the download answers JSON too, and an error there is still a page for a person.
        return Response.status(status).type(MediaType.TEXT_HTML_TYPE)
                .entity(message.data("tenant", tenant).data("title", title).data("text", text)).build();
    }

    private Response tooMany(String tenant, RateDecision decision) {
        long seconds = decision.retryAfterSeconds();
        long minutes = Math.max(1, (seconds + 59) / 60);
        return Response.fromResponse(html(429, tenant, "Too many attempts",
                "Please try again in " + minutes + (minutes == 1 ? " minute." : " minutes.")))
                .header("Retry-After", String.valueOf(seconds)).build();
    }

    private Response failure(String tenant, ApiException e) {
        if (e.status() == 404) {
            return noSuchRequest(tenant);
        }
        if (e.status() >= 500) {
            return html(503, tenant, "Please try again later",
                    "We cannot send e-mails at the moment, so your request could not be taken. Nothing was stored.");
        }
        return html(e.status(), tenant, "This did not work", e.getMessage());
    }

    private Response crossOrigin() {
        try {
            forms.requireSameOrigin();
            return null;
        } catch (ApiException e) {
            return html(403, null, "Form refused", "This form was not sent from this page. Please use the form on "
                    + "the privacy page itself.");
        }
    }

    // ---- checks

    private record Guarded(RightsRequest request, Response refused) {
    }

    /** A form of a request's page: same origin, the request's access cookie, and the page's CSRF token. */
    private Guarded guard(String tenant, String id, String token, String csrf) {
        if (!offered(tenant)) {
            return new Guarded(null, noSuchPage());
        }
        Response crossOrigin = crossOrigin();
        if (crossOrigin != null) {
            return new Guarded(null, crossOrigin);
        }
        Optional<RightsRequest> opened = open(tenant, id, token);
        if (opened.isEmpty()) {
            return new Guarded(null, noSuchRequest(tenant));
        }
        if (!FormGuard.matches(FormGuard.csrfToken(token, CSRF_PURPOSE), csrf)) {
            return new Guarded(null, html(403, tenant, "Form refused",
                    "This form has expired. Please open your request's page again."));
        }
        return new Guarded(opened.get(), null);
    }

    private Optional<RightsRequest> open(String tenant, String id, String token) {
        if (!offered(tenant) || id == null || !REQUEST_ID.matcher(id).matches()) {
            return Optional.empty();
        }
        return privacyPage.opened(tenant, UUID.fromString(id), token);
    }

    private boolean offered(String tenant) {
        return tenant != null && TENANT_ID.matcher(tenant).matches()
                && config.privacyPage().tenants().orElse(Set.of()).contains(tenant);
    }

    private List<Problem> problems(Entered entered) {
        List<Problem> problems = new ArrayList<>();
        Set<ConstraintViolation<FormInput>> violations = validator.validate(new FormInput(entered.type(),
                entered.email(), entered.details(), entered.field(), entered.value()));
        violations.stream().sorted(java.util.Comparator.comparing(v -> v.getPropertyPath().toString()))
                .forEach(v -> problems.add(new Problem(v.getPropertyPath().toString(), v.getMessage())));
        RequestType type = RequestType.fromWire(entered.type()).orElse(null);
        if (!entered.type().isBlank() && (type == null || !views.offers(type))) {
            problems.add(new Problem("type", "choose one of the rights listed"));
        }
        if (type == RequestType.RECTIFICATION && (entered.field().isBlank() || entered.value().isBlank())) {
            problems.add(new Problem("field", "say what is wrong and what it should be"));
        }
        for (var text : List.of(Map.entry("email", entered.email()), Map.entry("details", entered.details()),
                Map.entry("field", entered.field()), Map.entry("value", entered.value()))) {
            if (CONTROL.matcher(text.getValue()).find()) {
                problems.add(new Problem(text.getKey(), "contains characters that are not text"));
            }
        }
        return problems;
    }

    private String clientAddress() {
        String peer = http.connection().remoteAddress() == null ? "unknown"
                : http.connection().remoteAddress().hostAddress();
        return ClientAddress.of(peer, http.getHeader("X-Forwarded-For"),
                config.privacyPage().rateLimit().forwardedForHops());
    }

    private NewCookie accessCookie(String path, String token, int maxAge) {
        return new NewCookie.Builder(ACCESS_COOKIE).value(token).path(path).httpOnly(true)
                .sameSite(NewCookie.SameSite.STRICT).secure(forms.overHttps()).maxAge(maxAge).build();
    }

    private static String requestPath(String tenant, UUID id) {
        return "/privacy/" + tenant + "/requests/" + id;
    }

    private static String text(String value) {
        return value == null ? "" : value;
    }
}
