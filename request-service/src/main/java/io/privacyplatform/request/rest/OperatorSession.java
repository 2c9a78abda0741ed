package io.privacyplatform.request.rest;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Optional;
import java.util.TreeSet;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.core.NewCookie;

import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jboss.logging.Logger;

import io.privacyplatform.request.DashboardSession;
import io.privacyplatform.request.config.RequestsConfig;
import io.privacyplatform.request.repository.DashboardSessionRepository;
import io.privacyplatform.support.auth.Caller;
import io.privacyplatform.support.auth.Roles;
import io.privacyplatform.support.error.ApiException;
import io.privacyplatform.support.security.TokenDigest;
import io.quarkus.qute.TemplateData;
import io.smallrye.jwt.auth.principal.JWTParser;
import io.smallrye.jwt.auth.principal.ParseException;

/**
 * The dashboard's sign-in, as a server-side session. The operator pastes a bearer token once; it is verified with the
 * service's own JWT settings (issuer, key, expiry, operator role) and dropped: the browser gets a random session id
 * (256 bits) in an HttpOnly, SameSite=Strict cookie, and the database keeps only the id's SHA-256 with the token's
 * tenant, subject and roles. A session ends when the operator signs out, after {@code requests.dashboard.idle-timeout}
 * without use, after {@code requests.dashboard.absolute-timeout}, or when the token would have expired, whichever
 * comes first. The API never reads the cookie: it wants the Authorization header.
 * <p>
 * Every form POST of the dashboard is checked twice ({@link #requireForm}): the {@code Origin} (or, without one, the
 * {@code Referer}) must be this service's own origin, and the form must carry the session's CSRF token, an HMAC of
 * the session id (so it is per session, never stored, and compared in constant time).
 */
@ApplicationScoped
public class OperatorSession {

    public static final String COOKIE = "privacy_dashboard_session";
    /** The hidden field every dashboard form carries. */
    public static final String CSRF_FIELD = "csrf";

    private static final Logger LOG = Logger.getLogger(OperatorSession.class);
    private static final int SESSION_ID_BYTES = 32;
    private static final int MAX_SESSION_ID_LENGTH = 64;
    private static final byte[] CSRF_PURPOSE = "privacy-dashboard-csrf-v1".getBytes(StandardCharsets.US_ASCII);
    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

    private final SecureRandom random = new SecureRandom();

    @Inject
    JWTParser parser;

    @Inject
    DashboardSessionRepository sessions;

    @Inject
    RequestsConfig config;

    @Inject
    Clock clock;

    @Inject
    FormGuard forms;

    /** The signed-in operator of this request: tenant, name, and the CSRF token the page's forms carry. */
    @TemplateData
    public record Operator(String tenantId, String name, String csrfToken) {
    }

    /** A new session: the id for the cookie, and how long the cookie may live. */
    public record SignedIn(String sessionId, Duration lifetime) {
    }

    /**
     * Verifies an operator token and opens a session for it; the token is not kept. Empty when the token is not
     * valid, has expired, or lacks the operator role or a tenant.
     */
    @Transactional
    public Optional<SignedIn> signIn(String token) {
        Optional<JsonWebToken> jwt = operatorToken(token);
        if (jwt.isEmpty()) {
            return Optional.empty();
        }
        Instant now = now();
        // The token's expiry is wall-clock time; the session runs on the service clock (tests move it), so the
        // token's remaining lifetime is carried over, not its instant.
        Duration tokenLeft = Duration.ofSeconds(jwt.get().getExpirationTime() - System.currentTimeMillis() / 1000);
        Duration lifetime = min(config.dashboard().absoluteTimeout(), tokenLeft);
        if (lifetime.isNegative() || lifetime.isZero()) {
            return Optional.empty();
        }
        byte[] id = new byte[SESSION_ID_BYTES];
        random.nextBytes(id);
        String sessionId = BASE64URL.encodeToString(id);
        DashboardSession session = new DashboardSession();
        session.idHash = TokenDigest.of(sessionId);
        session.tenantId = tenantOf(jwt.get());
        session.subject = jwt.get().getName() == null ? "operator" : jwt.get().getName();
        session.roles = String.join(",", new TreeSet<>(jwt.get().getGroups()));
        session.createdAt = now;
        session.lastSeenAt = now;
        session.expiresAt = now.plus(lifetime);
        sessions.persist(session);
        return Optional.of(new SignedIn(sessionId, lifetime));
    }

    /** The operator of a live session (and the session counts as used now); empty for anything else. */
    @Transactional
    public Optional<Operator> current(String sessionId) {
        if (!wellFormed(sessionId)) {
            return Optional.empty();
        }
        Optional<DashboardSession> found = sessions.findByIdOptional(TokenDigest.of(sessionId));
        if (found.isEmpty()) {
            return Optional.empty();
        }
        DashboardSession session = found.get();
        Instant now = now();
        if (!session.activeAt(now, config.dashboard().idleTimeout())) {
            sessions.delete(session);
            return Optional.empty();
        }
        session.lastSeenAt = now;
        return Optional.of(new Operator(session.tenantId, session.subject, csrfToken(sessionId)));
    }

    /** Ends the session (sign-out): the same cookie opens nothing afterwards. */
    @Transactional
    public void signOut(String sessionId) {
        if (wellFormed(sessionId)) {
            sessions.deleteByIdHash(TokenDigest.of(sessionId));
        }
    }

    /**
     * The checks of every dashboard form POST but sign-in: same origin, a live session, and the session's CSRF token
     * in the form. Cross-origin or a missing/wrong token: 403 in the error shape. No session: empty (the caller
     * sends the operator to the sign-in form).
     */
    public Optional<Operator> requireForm(String sessionId, String csrfToken) {
        requireSameOrigin();
        Optional<Operator> operator = current(sessionId);
        if (operator.isPresent() && !FormGuard.matches(operator.get().csrfToken(), csrfToken)) {
            throw ApiException.forbidden("csrf_token_invalid",
                    "the form is not from this dashboard session (missing or wrong CSRF token)");
        }
        return operator;
    }

    /** The dashboard's POSTs must come from its own origin ({@link FormGuard#requireSameOrigin}). */
    public void requireSameOrigin() {
        forms.requireSameOrigin();
    }

    /** The session cookie: HttpOnly, SameSite=Strict, path /, Secure when the browser reached us over https. */
    public NewCookie cookie(String sessionId, Duration lifetime) {
        return new NewCookie.Builder(COOKIE).value(sessionId).path("/").httpOnly(true)
                .sameSite(NewCookie.SameSite.STRICT).secure(overHttps())
                .maxAge((int) Math.min(Integer.MAX_VALUE, lifetime.toSeconds())).build();
    }

    /** The cookie that removes the session cookie from the browser. */
    public NewCookie clearedCookie() {
        return new NewCookie.Builder(COOKIE).value("").path("/").httpOnly(true).sameSite(NewCookie.SameSite.STRICT)
                .secure(overHttps()).maxAge(0).build();
    }

    private boolean overHttps() {
        return forms.overHttps();
    }

    private Optional<JsonWebToken> operatorToken(String token) {
        if (token == null || token.isBlank() || token.length() > 8192) {
            return Optional.empty();
        }
        try {
            JsonWebToken jwt = parser.parse(token.trim());
            String tenantId = tenantOf(jwt);
            if (tenantId == null || tenantId.isBlank() || jwt.getGroups() == null
                    || !jwt.getGroups().contains(Roles.OPERATOR)) {
                return Optional.empty();
            }
            return Optional.of(jwt);
        } catch (ParseException e) {
            LOG.debugf("dashboard token refused: %s", e.getMessage());
            return Optional.empty();
        }
    }

    private static String tenantOf(JsonWebToken jwt) {
        Object tenant = jwt.getClaim(Caller.TENANT_CLAIM);
        return tenant == null ? null : tenant.toString().replace("\"", "");
    }

    private static boolean wellFormed(String sessionId) {
        return sessionId != null && !sessionId.isEmpty() && sessionId.length() <= MAX_SESSION_ID_LENGTH;
    }

    /** HMAC-SHA256 keyed with the session id: only a holder of the cookie (or a page we rendered) knows it. */
    private static String csrfToken(String sessionId) {
        return FormGuard.csrfToken(sessionId, CSRF_PURPOSE);
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }
}
