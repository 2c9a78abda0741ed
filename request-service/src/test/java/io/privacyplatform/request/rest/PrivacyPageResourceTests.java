package io.privacyplatform.request.rest;

import static io.privacyplatform.request.RequestFixtures.at;
import static io.privacyplatform.request.RequestFixtures.clock;
import static io.privacyplatform.request.RequestFixtures.notifications;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;

import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.privacyplatform.events.SubjectPseudonym;
import io.privacyplatform.events.payload.Notification;
import io.privacyplatform.request.MailerKeys;
import io.privacyplatform.request.RequestFixtures;
import io.privacyplatform.request.service.RequestDataRetention;
import io.privacyplatform.support.ratelimit.PostgresRateLimiter;
import io.privacyplatform.support.ratelimit.RateDecision;
import io.privacyplatform.support.ratelimit.RateLimit;
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
 * The public privacy page over plain HTTP, as a browser would use it (a cookie jar per person, the page's origin, a
 * client address per test through one proxy's X-Forwarded-For): no enumeration, input checks that store nothing,
 * rate limits shared through PostgreSQL, wrong codes, access only with the request's cookie, tenants, and the
 * one-time export link.
 */
@QuarkusTest
class PrivacyPageResourceTests {

    private static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");
    private static final Pattern LINK = Pattern.compile("id=\"download-link\" href=\"([^\"]+)\"");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final AtomicInteger CLIENTS = new AtomicInteger();

    @TestHTTPResource("/")
    URL root;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    MeterRegistry meters;

    @Inject
    SubjectPseudonym pseudonym;

    @Inject
    RequestDataRetention retention;

    /** One person: a browser's cookie jar and the address the proxy saw it come from. */
    private record Person(CookieFilter cookies, String ip) {
    }

    @Test
    void shouldAnswerAKnownAndAnUnknownAddressTheSameWay() {
        String known = address("known");
        String unknown = address("unknown");
        // The tenant already has a request of the known address (a closed one through the API, another on the page).
        RequestFixtures.submitted("acme", Map.of("type", "access", "subjectId", known, "contactEmail", known,
                "identityVerified", true, "verifiedBy", "app-session"));
        submit(person(), "acme", "erasure", known).then().statusCode(303);

        Person first = person();
        Person second = person();
        Response forKnown = submit(first, "acme", "access", known);
        Response forUnknown = submit(second, "acme", "access", unknown);

        assertThat(forKnown.statusCode()).isEqualTo(303).isEqualTo(forUnknown.statusCode());
        assertThat(forKnown.asString()).as("the same body").isEqualTo(forUnknown.asString());
        assertThat(headerNames(forKnown)).as("the same headers").isEqualTo(headerNames(forUnknown));
        String knownId = idOf(forKnown);
        String unknownId = idOf(forUnknown);
        for (Response answer : List.of(forKnown, forUnknown)) {
            Cookie cookie = answer.getDetailedCookie(PrivacyPageResource.ACCESS_COOKIE);
            assertThat(cookie.getValue()).as("256 random bits").matches("[A-Za-z0-9_-]{43}");
            assertThat(cookie.isHttpOnly()).isTrue();
            assertThat(cookie.getSameSite()).isEqualTo("Strict");
            assertThat(cookie.getPath()).as("this request's page only").isEqualTo(path(answer));
            assertThat(TestDatabase.count("SELECT count(*) FROM privacy_page_access WHERE token_hash = ?",
                    sha256(cookie.getValue()))).as("only the token's hash is stored").isOne();
            assertThat(TestDatabase.count("SELECT count(*) FROM privacy_page_access WHERE token_hash = ?",
                    cookie.getValue())).isZero();
        }
        String knownPage = page(first, forKnown).then().statusCode(200).extract().asString();
        String unknownPage = page(second, forUnknown).then().statusCode(200).extract().asString();
        assertThat(neutral(knownPage, knownId)).as("the same page").isEqualTo(neutral(unknownPage, unknownId))
                .contains("Check your e-mail").doesNotContain(known).doesNotContain(unknown);

        // Both took the whole path: an unverified request with the address as subject id, and a sealed code.
        for (Map.Entry<String, String> request : Map.of(knownId, known, unknownId, unknown).entrySet()) {
            Map<String, Object> row = TestDatabase.rows("SELECT * FROM rights_request WHERE id = ?",
                    UUID.fromString(request.getKey())).get(0);
            assertThat(row).containsEntry("tenant_id", "acme").containsEntry("status", "identity_unverified")
                    .containsEntry("subject_id", request.getValue()).containsEntry("contact_email", request.getValue())
                    .containsEntry("type", "access");
            Notification code = notifications(request.getKey(), 1).get(0);
            assertThat(code.kind()).isEqualTo(Notification.VERIFICATION_CODE);
            assertThat(MailerKeys.code(code)).matches("\\d{6}");
        }
    }

    @Test
    void shouldRefuseInvalidInputWithAnHtmlPageAndStoreNothing() {
        String email = address("invalid");
        Person person = person();
        assertInvalid(person, Map.of("type", "", "email", email), "problem-type");
        assertInvalid(person, Map.of("type", "telepathy", "email", email), "problem-type");
        assertInvalid(person, Map.of("type", "access", "email", "not-an-address"), "problem-email");
        assertInvalid(person, Map.of("type", "access", "email", ""), "problem-email");
        assertInvalid(person, Map.of("type", "access", "email", email, "details", "x".repeat(2001)),
                "problem-details");
        assertInvalid(person, Map.of("type", "access", "email", email, "details", "a\u0000b"), "problem-details");
        assertInvalid(person, Map.of("type", "rectification", "email", email), "problem-field");
        // From another site: refused before anything is read.
        given().redirects().follow(false).header("Origin", "https://evil.example").header("X-Forwarded-For",
                person.ip()).contentType(ContentType.URLENC).formParams(Map.of("type", "access", "email", email))
                .post("/privacy/acme/requests").then().statusCode(403).contentType(containsString("text/html"))
                .body(containsString("Form refused"));
        assertThat(TestDatabase.count("SELECT count(*) FROM rights_request WHERE contact_email = ?", email))
                .as("nothing stored").isZero();
    }

    private void assertInvalid(Person person, Map<String, String> form, String problem) {
        as(person).contentType(ContentType.URLENC).formParams(form).post("/privacy/acme/requests").then()
                .statusCode(400).contentType(containsString("text/html"))
                .body(containsString("id=\"" + problem + "\""), containsString("Nothing was sent"));
    }

    @Test
    void shouldLimitSubmissionsPerAddressAndPerClientWith429AndRetryAfter() {
        clock().set(at("2026-03-02T10:20:00Z"));
        double refusedBefore = refused("privacy-page.submit.address");
        String email = address("limited");
        for (int i = 0; i < 3; i++) {
            submit(person(), "acme", "erasure", email).then().statusCode(303);
        }
        Response limited = submit(person(), "acme", "erasure", email.toUpperCase());
        assertThat(limited.statusCode()).as("the same address, in capitals, from another client").isEqualTo(429);
        // The window is the clock's hour: 40 minutes left.
        assertThat(limited.header("Retry-After")).isEqualTo("2400");
        assertThat(limited.contentType()).contains("text/html");
        assertThat(limited.asString()).contains("Too many attempts").contains("40 minutes");
        assertThat(TestDatabase.count("SELECT count(*) FROM rights_request WHERE contact_email = ?", email))
                .as("the refused one stored nothing").isEqualTo(3);
        assertThat(refused("privacy-page.submit.address")).isEqualTo(refusedBefore + 1);
        assertThat(TestDatabase.count("SELECT count(*) FROM rate_limit_window WHERE key_hash = ?", email))
                .as("the address is kept as an HMAC only").isZero();

        Person client = person();
        for (int i = 0; i < 10; i++) {
            submit(client, "acme", "erasure", address("client")).then().statusCode(303);
        }
        Response byClient = submit(client, "acme", "erasure", address("client"));
        assertThat(byClient.statusCode()).isEqualTo(429);
        assertThat(byClient.header("Retry-After")).isEqualTo("2400");

        // The next window starts afresh.
        clock().set(at("2026-03-02T11:00:01Z"));
        submit(client, "acme", "erasure", address("client")).then().statusCode(303);
        submit(person(), "acme", "erasure", email).then().statusCode(303);
    }

    /**
     * Two instances of the service count against the same limits because the counters are in PostgreSQL: two
     * limiters over the same database (as two JVMs would be), the third hit refused whichever counts it; the prune
     * deletes ended windows.
     */
    @Test
    void shouldShareTheLimitersStateThroughPostgresql() throws Exception {
        Clock at = Clock.fixed(at("2026-03-02T10:00:30Z"), java.time.ZoneOffset.UTC);
        byte[] secret = "the same secret on every instance".getBytes(StandardCharsets.UTF_8);
        PostgresRateLimiter one = new PostgresRateLimiter(dataSource, at, secret, null);
        PostgresRateLimiter two = new PostgresRateLimiter(dataSource, at, secret, null);
        RateLimit limit = new RateLimit("test.shared." + UUID.randomUUID(), 2, Duration.ofMinutes(1));

        assertThat(one.hit(limit, "203.0.113.7").allowed()).isTrue();
        assertThat(two.hit(limit, "203.0.113.7").allowed()).isTrue();
        RateDecision third = one.hit(limit, "203.0.113.7");
        assertThat(third.allowed()).isFalse();
        assertThat(third.hits()).isEqualTo(3);
        assertThat(third.retryAfterSeconds()).isEqualTo(30);
        assertThat(two.hit(limit, "203.0.113.8").allowed()).as("another key has its own count").isTrue();

        List<Map<String, Object>> rows = TestDatabase.rows(
                "SELECT key_hash, hits, window_start, window_end FROM rate_limit_window WHERE limit_name = ? "
                        + "ORDER BY hits DESC", limit.name());
        assertThat(rows).hasSize(2);
        assertThat(rows.get(0)).containsEntry("hits", 3);
        assertThat((String) rows.get(0).get("key_hash")).matches("[0-9a-f]{64}").doesNotContain("203.0.113.7");
        assertThat(((java.sql.Timestamp) rows.get(0).get("window_start")).toInstant())
                .isEqualTo(at("2026-03-02T10:00:00Z"));

        assertThat(one.prune(at("2026-03-02T10:00:59Z"))).as("the window has not ended").isZero();
        assertThat(two.prune(at("2026-03-02T10:01:00Z"))).isGreaterThanOrEqualTo(2);
        assertThat(TestDatabase.count("SELECT count(*) FROM rate_limit_window WHERE limit_name = ?", limit.name()))
                .isZero();
    }

    @Test
    void shouldLimitNewCodesPerAddressWith429() {
        Person person = person();
        Response submitted = submit(person, "acme", "erasure", address("resend"));
        String id = idOf(submitted);
        String csrf = csrfOf(page(person, submitted).asString());
        for (int i = 0; i < 3; i++) {
            form(person, submitted, "/verification-code", csrf).then().statusCode(303);
        }
        Response limited = form(person, submitted, "/verification-code", csrf);
        assertThat(limited.statusCode()).isEqualTo(429);
        assertThat(Long.parseLong(limited.header("Retry-After"))).isBetween(1L, 3600L);
        assertThat(notifications(id, 4)).as("the first code and three new ones, not a fifth").hasSize(4);
    }

    @Test
    void shouldCountWrongCodesAndLockTheRequestAfterTheLimit() {
        Person person = person();
        Response submitted = submit(person, "acme", "access", address("codes"));
        String id = idOf(submitted);
        String right = MailerKeys.code(notifications(id, 1).get(0));
        String wrong = right.equals("000000") ? "111111" : "000000";
        String csrf = csrfOf(page(person, submitted).then().statusCode(200).extract().asString());

        for (int left = 4; left >= 1; left--) {
            enterCode(person, submitted, csrf, wrong).then().statusCode(422)
                    .body(containsString("This code is not right. " + left + (left == 1 ? " try" : " tries")));
        }
        enterCode(person, submitted, csrf, wrong).then().statusCode(423).body(containsString("locked"));
        // The right code no longer helps.
        enterCode(person, submitted, csrf, right).then().statusCode(423);
        form(person, submitted, "/verification-code", csrf).then().statusCode(423);
        enterCode(person, submitted, csrf, "12345").then().statusCode(400).body(containsString("6 digits"));

        Map<String, Object> row = TestDatabase.rows("SELECT status, verification_attempts FROM rights_request "
                + "WHERE id = ?", UUID.fromString(id)).get(0);
        assertThat(row).containsEntry("status", "identity_unverified").containsEntry("verification_attempts", 5);
        assertThat(TestDatabase.count("SELECT count(*) FROM request_audit WHERE request_id = ? AND action = "
                + "'verification_failed' AND actor = 'data-subject:privacy-page'", UUID.fromString(id))).isEqualTo(5);
        assertThat(notifications(id, 1)).as("a locked request gets no new code").hasSize(1);
        page(person, submitted).then().statusCode(200).body(containsString("id=\"locked\""),
                not(containsString("id=\"code-form\"")));
    }

    @Test
    void shouldOpenARequestOnlyWithItsAccessCookieAndTheFormsOnlyWithTheCsrfToken() {
        Person owner = person();
        Response submitted = submit(owner, "acme", "erasure", address("owner"));
        String id = idOf(submitted);
        String csrf = csrfOf(page(owner, submitted).then().statusCode(200).extract().asString());
        String token = submitted.getDetailedCookie(PrivacyPageResource.ACCESS_COOKIE).getValue();

        Person stranger = person();
        page(stranger, submitted).then().statusCode(404).body(containsString("Request not found"),
                not(containsString(id)));
        // Another request's cookie opens only that request.
        Response theirs = submit(stranger, "acme", "erasure", address("stranger"));
        given().redirects().follow(false).cookie(PrivacyPageResource.ACCESS_COOKIE,
                theirs.getDetailedCookie(PrivacyPageResource.ACCESS_COOKIE).getValue()).get(path(submitted)).then()
                .statusCode(404);
        // A form without the cookie, with a wrong token, or from another origin changes nothing.
        sameOrigin(given().redirects().follow(false)).contentType(ContentType.URLENC).formParam("csrf", csrf)
                .formParam("code", "123456").post(path(submitted) + "/verification").then().statusCode(404);
        for (String wrong : new String[] { null, "", csrf.substring(1), csrfOf(page(stranger, theirs).asString()) }) {
            RequestSpecification request = as(owner).contentType(ContentType.URLENC).formParam("code", "123456");
            if (wrong != null) {
                request = request.formParam("csrf", wrong);
            }
            request.post(path(submitted) + "/verification").then().statusCode(403);
        }
        given().redirects().follow(false).header("Origin", "https://evil.example")
                .cookie(PrivacyPageResource.ACCESS_COOKIE, token).contentType(ContentType.URLENC)
                .formParam("csrf", csrf).formParam("code", "123456").post(path(submitted) + "/verification").then()
                .statusCode(403);
        assertThat(TestDatabase.count("SELECT verification_attempts FROM rights_request WHERE id = ?",
                UUID.fromString(id))).as("no attempt was counted").isZero();

        // Tenants: the cookie opens the request only under its own tenant; unknown or malformed tenants are 404.
        given().redirects().follow(false).cookie(PrivacyPageResource.ACCESS_COOKIE, token)
                .get("/privacy/globex/requests/" + id).then().statusCode(404);
        given().get("/privacy/nobody").then().statusCode(404).contentType(containsString("text/html"))
                .body(containsString("no privacy page"));
        given().get("/privacy/-acme").then().statusCode(404);
        given().get("/privacy/acme/requests/not-a-uuid").then().statusCode(404);
        given().get("/privacy/acme").then().statusCode(200).body(containsString("Make a privacy request"),
                containsString("value=\"automated_decision_review\""))
                .header("Content-Security-Policy", containsString("frame-ancestors 'none'"))
                .header("Content-Security-Policy", containsString("default-src 'none'"))
                .header("Cache-Control", "no-store");
        // The access expires: after requests.privacy-page.access-validity the same cookie opens nothing, and the
        // prune deletes the row.
        Instant submittedAt = ((java.sql.Timestamp) TestDatabase.rows("SELECT created_at FROM privacy_page_access "
                + "WHERE token_hash = ?", sha256(token)).get(0).get("created_at")).toInstant();
        clock().set(submittedAt.plus(Duration.ofDays(120)));
        page(owner, submitted).then().statusCode(404);
        assertThat(retention.prune().privacyPageTokens()).isPositive();
        assertThat(TestDatabase.count("SELECT count(*) FROM privacy_page_access WHERE token_hash = ?",
                sha256(token))).isZero();
    }

    @Test
    void shouldHandOutTheExportOnceThroughALinkThatExpires() throws Exception {
        clock().set(at("2026-04-01T09:00:00Z"));
        Person person = person();
        String email = address("export");
        Response submitted = submit(person, "acme", "access", email);
        String id = idOf(submitted);
        String csrf = csrfOf(page(person, submitted).asString());
        enterCode(person, submitted, csrf, MailerKeys.code(notifications(id, 1).get(0))).then().statusCode(303);
        as(person).get(path(submitted) + "?notice=verified").then().statusCode(200)
                .body(containsString("your request is confirmed"), containsString("data-status=\"verified\""));
        form(person, submitted, "/download-link", csrf).then().statusCode(409);

        JsonNode mails = JSON.readTree("{\"mails\":[{\"id\":\"m-1\",\"subject\":\"Welcome\"}]}");
        RequestFixtures.completeWithExport("acme", pseudonym.of("acme", email), id, "mail-log-store", mails,
                at("2026-04-01T09:05:00Z"));
        String page = page(person, submitted).then().statusCode(200).extract().asString();
        assertThat(page).contains("data-status=\"completed\"").contains("1 of 1 parts finished")
                .doesNotContain("mail-log-store").contains("id=\"download-form\"");

        String link = linkOf(form(person, submitted, "/download-link", csrf).then().statusCode(200)
                .header("Cache-Control", "no-store").extract().asString());
        assertThat(link).startsWith("/privacy/acme/exports/");
        // Another tenant's path does not spend it.
        given().get(link.replace("/privacy/acme/", "/privacy/globex/")).then().statusCode(410);
        Response download = given().get(link);
        assertThat(download.statusCode()).isEqualTo(200);
        assertThat(download.contentType()).contains("application/json");
        assertThat(download.header("Content-Disposition")).isEqualTo("attachment; filename=\"export-" + id + ".json\"");
        JsonNode document = JSON.readTree(download.asString());
        assertThat(document.get("requestId").asText()).isEqualTo(id);
        assertThat(document.at("/systems/mail-log-store")).isEqualTo(mails);
        // A second use.
        given().get(link).then().statusCode(410).contentType(containsString("text/html"))
                .body(containsString("This link no longer works"));
        String token = link.substring(link.lastIndexOf('/') + 1);
        assertThat(TestDatabase.rows("SELECT used_at FROM export_download_link WHERE token_hash = ?", sha256(token))
                .get(0).get("used_at")).isNotNull();
        assertThat(TestDatabase.count("SELECT count(*) FROM request_audit WHERE request_id = ? AND action = "
                + "'export_downloaded'", UUID.fromString(id))).isOne();
        assertThat(TestDatabase.rows("SELECT export_delivered_at FROM rights_request WHERE id = ?",
                UUID.fromString(id)).get(0).get("export_delivered_at")).isNotNull();
        given().header("Authorization", TestTokens.bearer("acme", "operator"))
                .get("/v1/requests/" + id + "/audit/verification").then().statusCode(200)
                .body("valid", org.hamcrest.Matchers.equalTo(true));

        // A new link, unused past its 24 hours: 410 as well.
        String late = linkOf(form(person, submitted, "/download-link", csrf).then().statusCode(200).extract()
                .asString());
        clock().advance(Duration.ofHours(24).plusSeconds(1));
        given().get(late).then().statusCode(410);
        given().get("/privacy/acme/exports/unknown-token").then().statusCode(410);
    }

    // ---- helpers

    private Person person() {
        int n = CLIENTS.incrementAndGet();
        // 198.18.0.0/15 is for benchmarks: no real client has it. One per person and run.
        return new Person(new CookieFilter(), "198.18." + (n / 250) + "." + (n % 250 + 1));
    }

    private Response submit(Person person, String tenant, String type, String email) {
        return as(person).contentType(ContentType.URLENC).formParam("type", type).formParam("email", email)
                .post("/privacy/" + tenant + "/requests");
    }

    private Response page(Person person, Response submitted) {
        return as(person).get(path(submitted));
    }

    private Response enterCode(Person person, Response submitted, String csrf, String code) {
        return as(person).contentType(ContentType.URLENC).formParam("csrf", csrf).formParam("code", code)
                .post(path(submitted) + "/verification");
    }

    private Response form(Person person, Response submitted, String action, String csrf) {
        return as(person).contentType(ContentType.URLENC).formParam("csrf", csrf).post(path(submitted) + action);
    }

    /** A browser on this page: its cookies, its origin, its address (as our one proxy appends it). */
    private RequestSpecification as(Person person) {
        return sameOrigin(given().redirects().follow(false).filter(person.cookies()))
                .header("X-Forwarded-For", person.ip());
    }

    private RequestSpecification sameOrigin(RequestSpecification request) {
        return request.header("Origin", root.getProtocol() + "://" + root.getHost() + ":" + root.getPort());
    }

    private double refused(String limit) {
        Counter counter = meters.find("privacy.rate.limit.hits").tag("limit", limit).tag("outcome", "refused")
                .counter();
        return counter == null ? 0 : counter.count();
    }

    private static String path(Response submitted) {
        String location = submitted.header("Location");
        return location.substring(location.indexOf("/privacy/"));
    }

    private static String idOf(Response submitted) {
        String path = path(submitted);
        return path.substring(path.lastIndexOf('/') + 1);
    }

    private static List<String> headerNames(Response response) {
        return response.headers().asList().stream().map(h -> h.getName().toLowerCase()).sorted().toList();
    }

    /** The page with what differs by nature between two requests (id, CSRF token) taken out. */
    private static String neutral(String page, String id) {
        return CSRF.matcher(page.replace(id, "ID")).replaceAll("CSRF");
    }

    private static String csrfOf(String page) {
        Matcher matcher = CSRF.matcher(page);
        assertThat(matcher.find()).as("a CSRF field in the page").isTrue();
        return matcher.group(1);
    }

    private static String linkOf(String page) {
        Matcher matcher = LINK.matcher(page);
        assertThat(matcher.find()).as("a download link in the page").isTrue();
        return matcher.group(1);
    }

    private static String address(String who) {
        return who + "-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
    }

    private static String sha256(String value) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(value.getBytes(StandardCharsets.US_ASCII)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
