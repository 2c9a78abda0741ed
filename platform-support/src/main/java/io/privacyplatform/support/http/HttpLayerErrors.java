package io.privacyplatform.support.http;

import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.privacyplatform.support.error.ErrorMappers;
import io.privacyplatform.support.error.ErrorResponse;
import io.privacyplatform.support.error.ErrorResponse.FieldProblem;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.vertx.http.runtime.RouteConstants;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * What the HTTP layer refuses before any resource sees the request, answered in the same {@link ErrorResponse} shape
 * as every other error, in one place for every service:
 * <ul>
 * <li>a URI longer than {@code privacy.http.max-uri-length} (414 {@code uri_too_long}), headers larger than
 * {@code privacy.http.max-header-size} (431 {@code headers_too_large}), a declared body larger than
 * {@code quarkus.http.limits.max-body-size} (413 {@code payload_too_large});</li>
 * <li>a malformed percent-escape in the path or query (400 {@code malformed_uri}) and a NUL character ({@code %00})
 * anywhere in them (400 {@code validation_failed}; PostgreSQL cannot store NUL, and no identifier contains it);</li>
 * <li>every failure Vert.x routes to failure handlers (a body handler's 413, a bad escape it finds itself, ...).</li>
 * </ul>
 * Vert.x's own codec limits ({@code quarkus.http.limits.max-initial-line-length}, {@code max-header-size}) are set
 * well above ours, because what the codec refuses never reaches a handler: Vert.x answers it with an empty body and
 * Quarkus offers no hook for that (its {@code HttpServer.invalidRequestHandler} is not exposed). Only a request
 * beyond those outer limits, or one that is not HTTP at all, still gets Vert.x's bare answer.
 */
@ApplicationScoped
public class HttpLayerErrors {

    private static final Logger LOG = Logger.getLogger(HttpLayerErrors.class);

    /** Before Quarkus' own upload limit (which answers 413 with an empty body) and before any resource. */
    static final int GUARD_ORDER = RouteConstants.ROUTE_ORDER_UPLOAD_LIMIT - 1;

    @ConfigProperty(name = "privacy.http.max-uri-length", defaultValue = "8192")
    int maxUriLength;

    @ConfigProperty(name = "privacy.http.max-header-size", defaultValue = "20480")
    int maxHeaderSize;

    @ConfigProperty(name = "quarkus.http.limits.max-body-size", defaultValue = "10240K")
    MemorySize maxBodySize;

    @Inject
    ObjectMapper json;

    void register(@Observes Router router) {
        router.route().order(GUARD_ORDER).handler(this::guard);
        router.route().order(GUARD_ORDER).failureHandler(this::failure);
    }

    void guard(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        String uri = request.uri();
        if (uri.length() > maxUriLength) {
            answer(ctx, 414, ErrorResponse.of("uri_too_long",
                    "the URI is longer than " + maxUriLength + " characters", null));
            return;
        }
        long headerBytes = 0;
        for (Map.Entry<String, String> header : request.headers()) {
            headerBytes += header.getKey().length() + header.getValue().length() + 4;
        }
        if (headerBytes > maxHeaderSize) {
            answer(ctx, 431, ErrorResponse.of("headers_too_large",
                    "the request headers are larger than " + maxHeaderSize + " bytes", null));
            return;
        }
        String contentLength = request.getHeader("Content-Length");
        if (contentLength != null && declaredLength(contentLength) > maxBodySize.asLongValue()) {
            // the body is not read: the connection cannot be reused for a next request
            ctx.response().putHeader("Connection", "close");
            answer(ctx, 413, ErrorResponse.of("payload_too_large",
                    "the request body is larger than " + maxBodySize.asLongValue() + " bytes", null));
            return;
        }
        if (!refusedUri(ctx)) {
            ctx.next();
        }
    }

    /** Answers a URI with a malformed escape or a NUL; false when the URI is fine. */
    private boolean refusedUri(RoutingContext ctx) {
        switch (escapes(ctx.request().uri())) {
            case MALFORMED -> answer(ctx, 400, ErrorResponse.of("malformed_uri",
                    "the URI has a malformed percent-escape ('%' must be followed by two hex digits)", null));
            case NUL -> answer(ctx, 400, ErrorResponse.of("validation_failed", "the request is not valid",
                    List.of(new FieldProblem("$uri", "must not contain the NUL character (%00)"))));
            case FINE -> {
                return false;
            }
        }
        return true;
    }

    void failure(RoutingContext ctx) {
        if (ctx.response().ended() || ctx.response().headWritten()) {
            ctx.next();
            return;
        }
        // Handlers that run before the guard (Quarkus' observability and security ones) fail on a malformed URI
        // with an IllegalArgumentException: it is the client's URI, not our failure.
        if (refusedUri(ctx)) {
            return;
        }
        int status = ctx.statusCode();
        if (status < 400 || status > 599) {
            status = 500;
        }
        if (status >= 500) {
            answer(ctx, status, ErrorMappers.internalError(ctx.failure() == null
                    ? new IllegalStateException("HTTP layer failure " + ctx.statusCode()) : ctx.failure()));
        } else {
            LOG.debugf(ctx.failure(), "HTTP layer refused %s %s with %d", ctx.request().method(),
                    ctx.request().path(), status);
            answer(ctx, status, ErrorResponse.of(ErrorMappers.codeOf(status), ErrorMappers.messageOf(status), null));
        }
    }

    enum Escapes {
        FINE, MALFORMED, NUL
    }

    /** Whether every '%' of the raw URI starts a two-hex-digit escape, and whether one of them is NUL. */
    static Escapes escapes(String uri) {
        boolean nul = false;
        for (int i = 0; i < uri.length(); i++) {
            char c = uri.charAt(i);
            if (c == '\0') {
                nul = true;
            } else if (c == '%') {
                if (i + 2 >= uri.length() || Character.digit(uri.charAt(i + 1), 16) < 0
                        || Character.digit(uri.charAt(i + 2), 16) < 0) {
                    return Escapes.MALFORMED;
                }
                if (uri.charAt(i + 1) == '0' && uri.charAt(i + 2) == '0') {
                    nul = true;
                }
                i += 2;
            }
        }
        return nul ? Escapes.NUL : Escapes.FINE;
    }

    private static long declaredLength(String contentLength) {
        try {
            return Long.parseLong(contentLength.trim());
        } catch (NumberFormatException e) {
            // not a length: Vert.x refuses the request itself
            return -1;
        }
    }

    private void answer(RoutingContext ctx, int status, ErrorResponse body) {
        String text;
        try {
            text = json.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            text = "{\"error\":{\"code\":\"" + body.error().code() + "\",\"message\":\"\"}}";
        }
        ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(text);
    }
}
