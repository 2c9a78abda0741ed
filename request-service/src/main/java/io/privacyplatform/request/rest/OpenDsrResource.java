package io.privacyplatform.request.rest;

import java.net.URI;
import java.util.Base64;
import java.util.UUID;

import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.privacyplatform.request.OpenDsrDialect;
import io.privacyplatform.request.config.RequestsConfig;
import io.privacyplatform.request.mapping.OpenDsrDocuments;
import io.privacyplatform.request.mapping.OpenDsrDocuments.CancellationReceipt;
import io.privacyplatform.request.mapping.OpenDsrDocuments.Discovery;
import io.privacyplatform.request.mapping.OpenDsrDocuments.ErrorDocument;
import io.privacyplatform.request.mapping.OpenDsrDocuments.Receipt;
import io.privacyplatform.request.mapping.OpenDsrDocuments.SubmittedRequest;
import io.privacyplatform.request.mapping.OpenDsrRequestParser;
import io.privacyplatform.request.service.OpenDsrRequests;
import io.privacyplatform.request.service.OpenDsrRequests.Mapped;
import io.privacyplatform.request.service.OpenDsrSigningKey;
import io.privacyplatform.support.auth.Caller;
import io.privacyplatform.support.auth.Roles;
import io.privacyplatform.support.error.ApiException;
import io.privacyplatform.support.error.ErrorMappers;
import io.privacyplatform.support.error.ErrorResponse;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;

/**
 * OpenDSR 2.0 for controllers' tools: discovery, requests, status, cancellation, under {@code /opendsr/v1}, and the
 * same under OpenGDPR's former collection name {@code opengdpr_requests} (section 10.1), whose answers also carry the
 * {@code X-OpenGDPR-*} headers. Requests take the tenant's bearer token (roles app, operator); discovery and the
 * certificate are public, as a controller needs them to check callbacks. Every answer with a body is signed
 * ({@code X-OpenDSR-Signature} over its exact bytes); every error is OpenDSR's error object.
 */
@Path("/opendsr/v1")
@Tag(name = "OpenDSR", description = "OpenDSR 2.0 (formerly OpenGDPR) for controllers' tools, mapped onto rights "
        + "requests")
@Produces(MediaType.APPLICATION_JSON)
public class OpenDsrResource {

    static final String REQUESTS = "requests";
    static final String LEGACY_REQUESTS = "opengdpr_requests";
    /** Larger than any sensible request (20 identities, 10 callback URLs, extensions), far below the HTTP limit. */
    static final int MAX_BODY_BYTES = 64 * 1024;

    @Inject
    Caller caller;

    @Inject
    OpenDsrRequests requests;

    @Inject
    OpenDsrRequestParser parser;

    @Inject
    OpenDsrSigningKey key;

    @Inject
    RequestsConfig config;

    @Inject
    ObjectMapper mapper;

    @Context
    UriInfo uri;

    @GET
    @Path("/discovery")
    @PermitAll
    @Operation(summary = "OpenDSR discovery document", description = "Supported identities (email and "
            + "controller_customer_id, raw), request types (access, portability, erasure) and the URL of the "
            + "certificate that signs answers and callbacks.")
    public Response discovery() {
        requireConfigured();
        return signed(200, new Discovery(OpenDsrDocuments.API_VERSION, OpenDsrRequestParser.SUPPORTED_IDENTITIES,
                OpenDsrRequestParser.SUPPORTED_REQUEST_TYPES, base().resolve(OpenDsrDocuments.CERTIFICATE_PATH)
                        .toString()), OpenDsrDialect.OPENDSR);
    }

    @GET
    @Path("/certificate.pem")
    @PermitAll
    @Produces({ "application/x-pem-file", MediaType.APPLICATION_JSON })
    @Operation(summary = "The X.509 certificate (PEM) whose key signs OpenDSR answers and callbacks")
    public Response certificate() {
        requireConfigured();
        return Response.ok(key.certificatePem(), "application/x-pem-file").build();
    }

    @POST
    @Path(REQUESTS)
    @Consumes(MediaType.WILDCARD)
    @RolesAllowed({ Roles.APP, Roles.OPERATOR })
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = SubmittedRequest.class)))
    @Operation(summary = "Submit an OpenDSR request", description = "Becomes a verified rights request of the "
            + "caller's tenant (the controller verified the subject). 201 with the signed receipt; the same "
            + "subject_request_id with the same body answers the same request again, with another body 409.")
    public Response submit(@HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType, byte[] body) {
        return submit(contentType, body, OpenDsrDialect.OPENDSR);
    }

    @POST
    @Path(LEGACY_REQUESTS)
    @Consumes(MediaType.WILDCARD)
    @RolesAllowed({ Roles.APP, Roles.OPERATOR })
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = SubmittedRequest.class)))
    @Operation(summary = "Submit an OpenDSR request by OpenGDPR's former route", description = "As POST "
            + "/opendsr/v1/requests; answers also carry X-OpenGDPR-Signature and X-OpenGDPR-Processor-Domain.")
    public Response submitLegacy(@HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType, byte[] body) {
        return submit(contentType, body, OpenDsrDialect.OPENGDPR);
    }

    @GET
    @Path(REQUESTS + "/{subjectRequestId}")
    @RolesAllowed({ Roles.APP, Roles.OPERATOR })
    @Operation(summary = "The status of an OpenDSR request (pending, in_progress, completed, cancelled), signed")
    public Response status(@PathParam("subjectRequestId") String subjectRequestId) {
        return status(subjectRequestId, OpenDsrDialect.OPENDSR);
    }

    @GET
    @Path(LEGACY_REQUESTS + "/{subjectRequestId}")
    @RolesAllowed({ Roles.APP, Roles.OPERATOR })
    @Operation(summary = "The status of an OpenDSR request, by OpenGDPR's former route")
    public Response statusLegacy(@PathParam("subjectRequestId") String subjectRequestId) {
        return status(subjectRequestId, OpenDsrDialect.OPENGDPR);
    }

    @DELETE
    @Path(REQUESTS + "/{subjectRequestId}")
    @RolesAllowed({ Roles.APP, Roles.OPERATOR })
    @Operation(summary = "Cancel a pending OpenDSR request", description = "202 with the signed receipt; 409 "
            + "not_pending once the request is acted on.")
    public Response cancel(@PathParam("subjectRequestId") String subjectRequestId) {
        return cancel(subjectRequestId, OpenDsrDialect.OPENDSR);
    }

    @DELETE
    @Path(LEGACY_REQUESTS + "/{subjectRequestId}")
    @RolesAllowed({ Roles.APP, Roles.OPERATOR })
    @Operation(summary = "Cancel a pending OpenDSR request, by OpenGDPR's former route")
    public Response cancelLegacy(@PathParam("subjectRequestId") String subjectRequestId) {
        return cancel(subjectRequestId, OpenDsrDialect.OPENGDPR);
    }

    private Response submit(String contentType, byte[] body, OpenDsrDialect dialect) {
        requireConfigured();
        if (!isJson(contentType)) {
            throw new ApiException(415, "unsupported_media_type", "send the request as application/json", null);
        }
        if (body != null && body.length > MAX_BODY_BYTES) {
            throw new ApiException(413, "payload_too_large", "an OpenDSR request is at most " + MAX_BODY_BYTES
                    + " bytes", null);
        }
        String tenant = caller.tenantId();
        Mapped mapped = requests.submit(tenant, caller.actor(), parser.parse(body, requests.now()), dialect, base());
        // Section 7.3: the whole request, base64, so the controller can prove what we acknowledged.
        return signed(201, new Receipt(tenant, mapped.request().effectiveDueAt(), mapped.openDsr().receivedAt,
                Base64.getEncoder().encodeToString(body), mapped.openDsr().subjectRequestId.toString()),
                dialect);
    }

    private Response status(String subjectRequestId, OpenDsrDialect dialect) {
        requireConfigured();
        Mapped mapped = requests.get(caller.tenantId(), id(subjectRequestId));
        return signed(200, OpenDsrDocuments.status(mapped.openDsr(), mapped.request(),
                URI.create(mapped.openDsr().processorBaseUrl), null), dialect);
    }

    private Response cancel(String subjectRequestId, OpenDsrDialect dialect) {
        requireConfigured();
        Mapped mapped = requests.cancel(caller.tenantId(), caller.actor(), id(subjectRequestId));
        return signed(202, new CancellationReceipt(mapped.request().tenantId,
                mapped.openDsr().subjectRequestId.toString(), requests.now(), OpenDsrDocuments.API_VERSION), dialect);
    }

    private static boolean isJson(String contentType) {
        try {
            return contentType != null && MediaType.APPLICATION_JSON_TYPE.isCompatible(MediaType.valueOf(contentType));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static UUID id(String subjectRequestId) {
        try {
            return UUID.fromString(subjectRequestId);
        } catch (IllegalArgumentException e) {
            throw ApiException.validation("subject_request_id", "must be a UUID");
        }
    }

    private void requireConfigured() {
        if (!key.configured()) {
            throw new ApiException(503, "opendsr_not_configured", "OpenDSR is not offered here: the processor's "
                    + "key and certificate are not configured", null);
        }
    }

    /** The address controllers reach us at: the configured public URL, else the one this request came to. */
    private URI base() {
        return config.opendsr().publicUrl().map(u -> u.resolve("/")).orElseGet(() -> uri.getBaseUri());
    }

    /** Serialised once, so the signature is over exactly the bytes sent. */
    private Response signed(int status, Object document, OpenDsrDialect dialect) {
        byte[] bytes;
        try {
            bytes = mapper.writeValueAsBytes(document);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write an OpenDSR document", e);
        }
        String signature = key.sign(bytes);
        String domain = base().getHost();
        Response.ResponseBuilder response = Response.status(status).type(MediaType.APPLICATION_JSON_TYPE)
                .entity(bytes).header(OpenDsrDialect.OPENDSR.signatureHeader(), signature)
                .header(OpenDsrDialect.OPENDSR.domainHeader(), domain);
        if (dialect == OpenDsrDialect.OPENGDPR) {
            response.header(OpenDsrDialect.OPENGDPR.signatureHeader(), signature)
                    .header(OpenDsrDialect.OPENGDPR.domainHeader(), domain);
        }
        return response.build();
    }

    // Errors of these endpoints are OpenDSR's error object (7.6), not the platform's shape: these mappers apply to
    // this resource only and reuse the platform's wording.

    @ServerExceptionMapper
    Response openDsrError(ApiException e) {
        return error(ErrorMappers.respond(e.status(), e.code(), e.getMessage(), e.details()));
    }

    @ServerExceptionMapper
    Response openDsrUnauthorized(UnauthorizedException e) {
        return error(new ErrorMappers().unauthorized(e));
    }

    @ServerExceptionMapper
    Response openDsrAuthenticationFailed(AuthenticationFailedException e) {
        return error(new ErrorMappers().authenticationFailed(e));
    }

    @ServerExceptionMapper
    Response openDsrForbidden(ForbiddenException e) {
        return error(new ErrorMappers().forbidden(e));
    }

    private static Response error(Response platform) {
        int status = platform.getStatus();
        return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE)
                .header("Cache-Control", "no-store")
                .entity(ErrorDocument.of(status, (ErrorResponse) platform.getEntity())).build();
    }
}
