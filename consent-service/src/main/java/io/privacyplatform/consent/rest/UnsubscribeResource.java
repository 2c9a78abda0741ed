package io.privacyplatform.consent.rest;

import java.util.Map;

import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestForm;

import io.privacyplatform.consent.Purpose;
import io.privacyplatform.consent.service.PurposeCatalog;
import io.privacyplatform.consent.service.UnsubscribeTokens;
import io.privacyplatform.consent.service.Unsubscriptions;
import io.privacyplatform.support.auth.Caller;
import io.privacyplatform.support.auth.Roles;
import io.privacyplatform.support.error.ApiException;
import io.privacyplatform.support.error.ErrorResponse.FieldProblem;

@Path("/v1")
@Tag(name = "Unsubscribe", description = "One-click unsubscribe links (RFC 8058)")
public class UnsubscribeResource {

    public static final String ONE_CLICK = "List-Unsubscribe=One-Click";

    @Inject
    UnsubscribeTokens tokens;

    @Inject
    Unsubscriptions unsubscriptions;

    @Inject
    PurposeCatalog catalog;

    @Inject
    Caller caller;

    public record LinkRequest(@Schema(required = true, maxLength = 200) String subjectId,
            @Schema(required = true) String purpose) {
    }

    public record Link(String url, Map<String, String> headers) {
    }

    @POST
    @Path("/unsubscribe-links")
    @RolesAllowed(Roles.APP)
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Transactional
    @Operation(summary = "An opaque one-click unsubscribe URL and the mail headers that carry it",
            description = "The URL carries a random token (no subject id); it expires after consent.unsubscribe.ttl"
                    + " (default 90 days) and is deleted when the subject is erased.")
    @APIResponse(responseCode = "200", description = "the link")
    @APIResponse(responseCode = "422", description = "unknown_purpose")
    public Link link(LinkRequest body) {
        if (body == null) {
            throw ApiException.validation("$", "a body is required");
        }
        if (body.subjectId() == null || body.subjectId().isBlank() || body.subjectId().length() > 200) {
            throw ApiException.validation("subjectId", "must be 1 to 200 characters");
        }
        if (body.purpose() == null || body.purpose().isBlank()) {
            throw ApiException.validation("purpose", "must not be blank");
        }
        String tenant = caller.tenantId();
        if (catalog.find(tenant, body.purpose()).isEmpty()) {
            throw ApiException.unprocessable("unknown_purpose", "the request names a purpose that does not exist",
                    java.util.List.of(new FieldProblem("purpose", "no purpose with this id exists for the tenant")));
        }
        String url = tokens.url(tenant, body.subjectId(), body.purpose());
        return new Link(url, Map.of("List-Unsubscribe", "<" + url + ">", "List-Unsubscribe-Post", ONE_CLICK));
    }

    @GET
    @Path("/unsubscribe/{token}")
    @PermitAll
    @Produces(MediaType.TEXT_HTML)
    @Operation(summary = "Confirmation page with an unsubscribe button; changes nothing (mail scanners follow GETs)")
    @APIResponse(responseCode = "200", description = "the page")
    @APIResponse(responseCode = "404", description = "not a link of this service (or of an erased subject)")
    @APIResponse(responseCode = "410", description = "link_expired")
    public String confirm(@PathParam("token") String token) {
        Purpose purpose = unsubscriptions.purposeOf(token);
        return page("Unsubscribe", "<p>Stop receiving <strong>" + escape(purpose.title) + "</strong>?</p>"
                + "<form method=\"post\" action=\"" + UnsubscribeTokens.PATH + escape(token) + "\">"
                + "<input type=\"hidden\" name=\"List-Unsubscribe\" value=\"One-Click\">"
                + "<button type=\"submit\">Unsubscribe</button></form>");
    }

    @POST
    @Path("/unsubscribe/{token}")
    @PermitAll
    @Consumes({ MediaType.APPLICATION_FORM_URLENCODED, MediaType.MULTIPART_FORM_DATA })
    @Produces(MediaType.TEXT_HTML)
    @Operation(summary = "One-click unsubscribe: records withdrawn (channel email); no login",
            description = "The body must be List-Unsubscribe=One-Click. Repeating it records nothing more.")
    @APIResponse(responseCode = "200", description = "unsubscribed")
    @APIResponse(responseCode = "400", description = "body is not List-Unsubscribe=One-Click")
    @APIResponse(responseCode = "404", description = "not a link of this service (or of an erased subject)")
    @APIResponse(responseCode = "410", description = "link_expired")
    public String unsubscribe(@PathParam("token") String token,
            @RestForm("List-Unsubscribe") String oneClick) {
        if (!"One-Click".equals(oneClick)) {
            throw ApiException.validation("List-Unsubscribe", "must be One-Click");
        }
        Unsubscriptions.Done done = unsubscriptions.unsubscribe(token);
        return page("Unsubscribed", "<p>You will no longer receive <strong>" + escape(done.purposeTitle())
                + "</strong>.</p>");
    }

    private static String page(String title, String body) {
        return "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\""
                + " content=\"width=device-width, initial-scale=1\"><meta name=\"robots\" content=\"noindex\">"
                + "<title>" + title + "</title></head><body><h1>" + title + "</h1>" + body + "</body></html>";
    }

    static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;")
                .replace("'", "&#39;");
    }
}
