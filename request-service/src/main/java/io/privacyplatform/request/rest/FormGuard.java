package io.privacyplatform.request.rest;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.privacyplatform.support.error.ApiException;
import io.vertx.core.http.HttpServerRequest;

/**
 * The checks of the service's HTML forms (the operator dashboard, the public privacy page): the POST must come from a
 * page of this service ({@link #requireSameOrigin}), and carry a CSRF token that is an HMAC of a secret only the
 * browser's cookie holds ({@link #csrfToken}: per session or per request, never stored, compared in constant time,
 * {@link #matches}). A small check of our own rather than {@code quarkus-rest-csrf}, whose double-submit cookie is
 * not tied to a server-side secret.
 */
@ApplicationScoped
public class FormGuard {

    private static final Logger LOG = Logger.getLogger(FormGuard.class);
    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

    @Inject
    HttpServerRequest request;

    /**
     * A POST must come from a page of this service: its {@code Origin}, or without one its {@code Referer}, names
     * this service's own origin as the browser sees it (behind a trusted TLS-terminating proxy, the forwarded
     * scheme and host). Neither header: refused, as browsers send Origin with every POST.
     */
    public void requireSameOrigin() {
        String origin = request.getHeader("Origin");
        String claimed = origin != null ? origin : request.getHeader("Referer");
        Optional<String> claimedOrigin = originOf(claimed);
        Optional<String> own = originOf(request.absoluteURI());
        if (claimedOrigin.isEmpty() || own.isEmpty() || !claimedOrigin.get().equals(own.get())) {
            LOG.debugf("form POST refused: origin %s, referer %s, own %s", origin, request.getHeader("Referer"),
                    own.orElse(null));
            throw ApiException.forbidden("cross_origin", "the form was not sent from this service's own origin");
        }
    }

    /** https as the browser sees it: the connection's scheme, or X-Forwarded-Proto from a trusted proxy. */
    public boolean overHttps() {
        return "https".equalsIgnoreCase(request.scheme());
    }

    /** HMAC-SHA256 keyed with the cookie's secret: only a holder of the cookie (or a page we rendered) knows it. */
    public static String csrfToken(String secret, byte[] purpose) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.US_ASCII), "HmacSHA256"));
            return BASE64URL.encodeToString(mac.doFinal(purpose));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this JVM", e);
        }
    }

    /** Constant time, so the answer's timing tells nothing about how much of a guess was right. */
    public static boolean matches(String expected, String given) {
        if (expected == null || given == null) {
            return false;
        }
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8),
                given.getBytes(StandardCharsets.UTF_8));
    }

    /** scheme://host[:port] in lower case, the port left out when it is the scheme's default. */
    static Optional<String> originOf(String url) {
        if (url == null || url.isBlank()) {
            return Optional.empty();
        }
        try {
            URI uri = new URI(url.trim());
            String scheme = uri.getScheme();
            String host = uri.getHost();
            if (scheme == null || host == null) {
                return Optional.empty();
            }
            scheme = scheme.toLowerCase(Locale.ROOT);
            int port = uri.getPort();
            boolean defaultPort = port == -1 || ("http".equals(scheme) && port == 80)
                    || ("https".equals(scheme) && port == 443);
            return Optional.of(scheme + "://" + host.toLowerCase(Locale.ROOT) + (defaultPort ? "" : ":" + port));
        } catch (java.net.URISyntaxException e) {
            return Optional.empty();
        }
    }
}
