package io.privacyplatform.request.rest;

import static io.privacyplatform.request.RequestFixtures.clock;
import static io.privacyplatform.request.RequestFixtures.get;
import static io.privacyplatform.request.RequestFixtures.subject;
import static io.privacyplatform.request.RequestFixtures.submitted;
import static io.privacyplatform.request.RequestFixtures.verifiedBody;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.privacyplatform.request.service.RequestDataRetention;
import io.privacyplatform.testing.TestDatabase;
import io.privacyplatform.testing.TestTokens;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.filter.cookie.CookieFilter;
import io.restassured.http.ContentType;
import io.restassured.http.Cookie;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/**
 * The dashboard's server-side session and its form checks over plain HTTP, with a cookie jar that keeps and drops
 * cookies as browsers do: what the cookie holds, what the database holds, sign-out, expiry, CSRF tokens, origins,
 * and the Secure attribute behind a TLS-terminating proxy.
 */
@QuarkusTest
class DashboardSessionTests {

    private static final String COOKIE = OperatorSession.COOKIE;
    private static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");

    @TestHTTPResource("/")
    java.net.URL root;

    @Inject
    RequestDataRetention retention;

    @Test
    void shouldKeepOnlyARandomSessionIdInTheCookieAndOnlyItsHashInTheDatabase() {
        String tenant = tenant();
        String token = TestTokens.of(tenant, "operator");
        CookieFilter browser = new CookieFilter();

        Response signIn = sameOrigin(as(browser)).contentType(ContentType.URLENC).formParam("token", token)
                .post("/login");

        assertThat(signIn.statusCode()).isEqualTo(303);
        Cookie cookie = signIn.getDetailedCookie(COOKIE);
        String sessionId = cookie.getValue();
        assertThat(sessionId).as("a random id of 256 bits, base64url, not the token and not a JWT")
                .matches("[A-Za-z0-9_-]{43}").isNotEqualTo(token).doesNotContain(".");
        assertThat(cookie.isHttpOnly()).isTrue();
        assertThat(cookie.getSameSite()).isEqualTo("Strict");
        assertThat(cookie.isSecured()).as("plain http without a proxy: no Secure").isFalse();
        assertThat(cookie.getMaxAge()).as("no longer than the token, which lives an hour").isBetween(3000L, 3600L);

        assertThat(TestDatabase.count("SELECT count(*) FROM dashboard_session WHERE id_hash = ?", sessionId))
                .as("the id is not stored in clear").isZero();
        List<Map<String, Object>> rows = TestDatabase.rows("SELECT * FROM dashboard_session WHERE id_hash = ?",
                sha256(sessionId));
        assertThat(rows).hasSize(1);
        Map<String, Object> row = rows.get(0);
        assertThat(row).containsEntry("tenant_id", tenant).containsEntry("subject", tenant + "-operator")
                .containsEntry("roles", "operator");
        assertThat(row.values()).as("neither the token nor the session id is in the row")
                .noneMatch(v -> String.valueOf(v).contains(token) || String.valueOf(v).contains(sessionId));
        Instant created = ((java.sql.Timestamp) row.get("created_at")).toInstant();
        Instant expires = ((java.sql.Timestamp) row.get("expires_at")).toInstant();
        assertThat(Duration.between(created, expires)).as("the session ends when the token would have")
                .isLessThanOrEqualTo(Duration.ofHours(1));

        as(browser).get("/").then().statusCode(200).body(containsString(tenant));
    }

    @Test
    void shouldNotOpenAnythingWithTheSameCookieAfterLogout() {
        String tenant = tenant();
        String id = submitted(tenant, verifiedBody("erasure", subject()));
        CookieFilter browser = new CookieFilter();
        String sessionId = signIn(browser, tenant);
        String csrf = csrfOf(as(browser).get("/requests/" + id).then().statusCode(200).body(containsString(id))
                .extract().asString());

        Response signOut = sameOrigin(as(browser)).contentType(ContentType.URLENC).formParam("csrf", csrf)
                .post("/logout");
        assertThat(signOut.statusCode()).isEqualTo(303);
        assertThat(signOut.header("Location")).endsWith("/login");
        Cookie cleared = signOut.getDetailedCookie(COOKIE);
        assertThat(cleared.getValue()).isEmpty();
        assertThat(cleared.getMaxAge()).isZero();
        assertThat(cleared.getPath()).isEqualTo("/");
        assertThat(cleared.isHttpOnly()).isTrue();
        assertThat(TestDatabase.count("SELECT count(*) FROM dashboard_session WHERE id_hash = ?", sha256(sessionId)))
                .as("sign-out deletes the session").isZero();

        // A client that kept the cookie (a copy, a stolen one) replays it: the session is gone on the server.
        given().redirects().follow(false).cookie(COOKIE, sessionId).get("/").then().statusCode(303)
                .header("Location", endsWith("/login")).body(not(containsString(id)));
        given().redirects().follow(false).cookie(COOKIE, sessionId).get("/requests/" + id).then().statusCode(303)
                .header("Location", endsWith("/login"));
        sameOrigin(given().redirects().follow(false)).cookie(COOKIE, sessionId).contentType(ContentType.URLENC)
                .formParam("csrf", csrf).formParam("reason", "after logout").post("/requests/" + id + "/denial")
                .then().statusCode(303).header("Location", endsWith("/login"));
        get(tenant, id).body("status", equalTo("verified"));
    }

    @Test
    void shouldRefuseAFormWithoutOrWithAWrongCsrfTokenAndChangeNothing() {
        String tenant = tenant();
        String id = submitted(tenant, verifiedBody("erasure", subject()));
        CookieFilter browser = new CookieFilter();
        signIn(browser, tenant);
        String csrf = csrfOf(as(browser).get("/requests/" + id).then().statusCode(200).extract().asString());
        CookieFilter otherBrowser = new CookieFilter();
        signIn(otherBrowser, tenant);
        String otherSessionsCsrf = csrfOf(as(otherBrowser).get("/requests/" + id).then().extract().asString());
        assertThat(otherSessionsCsrf).as("the token is per session").isNotEqualTo(csrf);

        for (String wrong : new String[] { null, "", "x", csrf.substring(1), otherSessionsCsrf }) {
            RequestSpecification form = sameOrigin(as(browser)).contentType(ContentType.URLENC)
                    .formParam("reason", "forged");
            if (wrong != null) {
                form.formParam("csrf", wrong);
            }
            form.post("/requests/" + id + "/denial").then().statusCode(403).contentType(ContentType.JSON)
                    .body("error.code", equalTo("csrf_token_invalid"));
        }
        sameOrigin(as(browser)).contentType(ContentType.URLENC).formParam("csrf", "wrong").post("/logout").then()
                .statusCode(403).body("error.code", equalTo("csrf_token_invalid"));
        get(tenant, id).body("status", equalTo("verified"));
        assertThat(TestDatabase.count("SELECT count(*) FROM request_audit WHERE request_id = ? AND action = 'denied'",
                UUID.fromString(id))).isZero();
        // The refused logout left the session open.
        as(browser).get("/").then().statusCode(200);

        sameOrigin(as(browser)).contentType(ContentType.URLENC).formParam("csrf", csrf)
                .formParam("reason", "unfounded").post("/requests/" + id + "/denial").then().statusCode(303)
                .header("Location", endsWith("?notice=denied"));
        get(tenant, id).body("status", equalTo("denied"));
    }

    @Test
    void shouldRefuseAFormFromAnotherOriginAndChangeNothing() {
        String tenant = tenant();
        String id = submitted(tenant, verifiedBody("erasure", subject()));
        CookieFilter browser = new CookieFilter();
        signIn(browser, tenant);
        String csrf = csrfOf(as(browser).get("/requests/" + id).then().statusCode(200).extract().asString());

        List<Map<String, String>> foreign = List.of(Map.of("Origin", "https://evil.example"),
                Map.of("Origin", "null"), Map.of("Origin", origin().replace("localhost", "127.0.0.2")),
                Map.of("Referer", "https://evil.example/requests/" + id), Map.of());
        for (Map<String, String> headers : foreign) {
            as(browser).headers(headers).contentType(ContentType.URLENC).formParam("csrf", csrf)
                    .formParam("reason", "forged").post("/requests/" + id + "/denial").then().statusCode(403)
                    .contentType(ContentType.JSON).body("error.code", equalTo("cross_origin"));
        }
        get(tenant, id).body("status", equalTo("verified"));

        // Without Origin, the Referer of one of our pages will do.
        as(browser).header("Referer", origin() + "/requests/" + id).contentType(ContentType.URLENC)
                .formParam("csrf", csrf).formParam("reason", "unfounded").post("/requests/" + id + "/denial")
                .then().statusCode(303).header("Location", endsWith("?notice=denied"));
        get(tenant, id).body("status", equalTo("denied"));
    }

    @Test
    void shouldNotSignInFromAnotherOrigin() {
        String tenant = tenant();
        Response signIn = given().redirects().follow(false).header("Origin", "https://evil.example")
                .contentType(ContentType.URLENC).formParam("token", TestTokens.of(tenant, "operator"))
                .post("/login");

        assertThat(signIn.statusCode()).isEqualTo(403);
        assertThat(signIn.jsonPath().getString("error.code")).isEqualTo("cross_origin");
        assertThat(signIn.getDetailedCookie(COOKIE)).isNull();
        assertThat(TestDatabase.count("SELECT count(*) FROM dashboard_session WHERE tenant_id = ?", tenant)).isZero();
    }

    @Test
    void shouldMarkTheCookieSecureBehindATlsTerminatingProxy() {
        String tenant = tenant();
        // The proxy (on this host, so trusted) terminated TLS for https://dashboard.example and says so.
        Response signIn = given().redirects().follow(false).header("X-Forwarded-Proto", "https")
                .header("X-Forwarded-Host", "dashboard.example").header("Origin", "https://dashboard.example")
                .contentType(ContentType.URLENC).formParam("token", TestTokens.of(tenant, "operator"))
                .post("/login");

        assertThat(signIn.statusCode()).isEqualTo(303);
        Cookie cookie = signIn.getDetailedCookie(COOKIE);
        assertThat(cookie.isSecured()).isTrue();
        assertThat(cookie.isHttpOnly()).isTrue();
        assertThat(cookie.getSameSite()).isEqualTo("Strict");
        // The page the browser sees over https is the one the forms must come from.
        String csrf = csrfOf(given().redirects().follow(false).cookie(COOKIE, cookie.getValue())
                .header("X-Forwarded-Proto", "https").header("X-Forwarded-Host", "dashboard.example").get("/")
                .then().statusCode(200).extract().asString());
        given().redirects().follow(false).cookie(COOKIE, cookie.getValue()).header("X-Forwarded-Proto", "https")
                .header("X-Forwarded-Host", "dashboard.example").header("Origin", origin())
                .contentType(ContentType.URLENC).formParam("csrf", csrf).post("/logout").then().statusCode(403)
                .body("error.code", equalTo("cross_origin"));
        Response signOut = given().redirects().follow(false).cookie(COOKIE, cookie.getValue())
                .header("X-Forwarded-Proto", "https").header("X-Forwarded-Host", "dashboard.example")
                .header("Origin", "https://dashboard.example").contentType(ContentType.URLENC)
                .formParam("csrf", csrf).post("/logout");
        assertThat(signOut.statusCode()).isEqualTo(303);
        assertThat(signOut.getDetailedCookie(COOKIE).isSecured()).isTrue();
    }

    @Test
    void shouldEndASessionUnusedLongerThanTheIdleTimeoutAndPruneIt() {
        Instant start = clock().instant();
        try {
            String tenant = tenant();
            CookieFilter browser = new CookieFilter();
            String sessionId = signIn(browser, tenant);
            // Used within the idle timeout: still open; each use starts the idle timeout again.
            clock().advance(Duration.ofMinutes(29));
            as(browser).get("/").then().statusCode(200);
            clock().advance(Duration.ofMinutes(29));
            as(browser).get("/").then().statusCode(200);

            String unused = signIn(new CookieFilter(), tenant);
            clock().advance(Duration.ofMinutes(31));
            given().redirects().follow(false).cookie(COOKIE, unused).get("/").then().statusCode(303)
                    .header("Location", endsWith("/login"));
            assertThat(TestDatabase.count("SELECT count(*) FROM dashboard_session WHERE id_hash = ?", sha256(unused)))
                    .isZero();

            assertThat(TestDatabase.count("SELECT count(*) FROM dashboard_session WHERE id_hash = ?",
                    sha256(sessionId))).as("ended, not yet pruned").isEqualTo(1);
            assertThat(retention.prune().sessions()).isPositive();
            assertThat(TestDatabase.count("SELECT count(*) FROM dashboard_session WHERE id_hash = ?",
                    sha256(sessionId))).isZero();
        } finally {
            clock().set(start);
        }
    }

    @Test
    void shouldEndASessionWhenTheTokenWouldHaveExpiredEvenWhileInUse() {
        Instant start = clock().instant();
        try {
            String tenant = tenant();
            CookieFilter browser = new CookieFilter();
            signIn(browser, tenant);
            for (int i = 0; i < 3; i++) {
                clock().advance(Duration.ofMinutes(19));
                as(browser).get("/").then().statusCode(200);
            }
            // An hour after sign-in the token (an hour's lifetime) has expired: so has the session, though in use.
            clock().advance(Duration.ofMinutes(4));
            as(browser).get("/").then().statusCode(303).header("Location", endsWith("/login"));
        } finally {
            clock().set(start);
        }
    }

    private String signIn(CookieFilter browser, String tenant) {
        Response signIn = sameOrigin(as(browser)).contentType(ContentType.URLENC)
                .formParam("token", TestTokens.of(tenant, "operator")).post("/login");
        assertThat(signIn.statusCode()).isEqualTo(303);
        return signIn.getDetailedCookie(COOKIE).getValue();
    }

    private RequestSpecification sameOrigin(RequestSpecification request) {
        return request.header("Origin", origin());
    }

    /** The origin the browser sees: http://localhost:<test port>. */
    private String origin() {
        return root.getProtocol() + "://" + root.getHost() + ":" + root.getPort();
    }

    private static String csrfOf(String page) {
        Matcher matcher = CSRF.matcher(page);
        assertThat(matcher.find()).as("the page's forms carry the CSRF token").isTrue();
        return matcher.group(1);
    }

    private static String tenant() {
        return "dash-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static String sha256(String value) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(value.getBytes(StandardCharsets.US_ASCII)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static RequestSpecification as(CookieFilter browser) {
        return given().redirects().follow(false).filter(browser);
    }
}
