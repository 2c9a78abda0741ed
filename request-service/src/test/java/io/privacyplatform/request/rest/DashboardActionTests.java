package io.privacyplatform.request.rest;

import static io.privacyplatform.request.RequestFixtures.CODEC;
import static io.privacyplatform.request.RequestFixtures.WAIT;
import static io.privacyplatform.request.RequestFixtures.at;
import static io.privacyplatform.request.RequestFixtures.changes;
import static io.privacyplatform.request.RequestFixtures.get;
import static io.privacyplatform.request.RequestFixtures.publish;
import static io.privacyplatform.request.RequestFixtures.subject;
import static io.privacyplatform.request.RequestFixtures.submitted;
import static io.privacyplatform.request.RequestFixtures.verifiedBody;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.privacyplatform.events.SubjectPseudonym;
import io.privacyplatform.events.Topics;
import io.privacyplatform.events.payload.RequestProgress;
import io.privacyplatform.events.payload.RequestProgress.SystemProgress;
import io.privacyplatform.request.service.RequestLifecycle;
import io.privacyplatform.testing.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.filter.cookie.CookieFilter;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/** The operator's steps for requests that wait for them, over the dashboard's forms (plain HTTP, cookie session). */
@QuarkusTest
class DashboardActionTests {

    @Inject
    SubjectPseudonym pseudonym;

    @Test
    void shouldShowARequestWaitingForAnOperatorFirstWithItsReasonAndResolveItFromTheForm() {
        String tenant = "dash-" + UUID.randomUUID().toString().substring(0, 8);
        String erasure = submitted(tenant, verifiedBody("erasure", subject()));
        String review = submitted(tenant, verifiedBody("automated_decision_review", subject()));
        CookieFilter browser = signedIn(tenant);

        String queue = as(browser).get("/").then().statusCode(200).extract().asString();
        assertThat(queue.indexOf("data-request-id=\"" + review + "\""))
                .as("the request waiting for an operator is listed before the other one")
                .isPositive().isLessThan(queue.indexOf("data-request-id=\"" + erasure + "\""));
        assertThat(queue).contains("id=\"count-action-required\">1<").contains(RequestLifecycle.REVIEW_REASON);

        as(browser).get("/requests/" + review).then().statusCode(200).body(containsString("id=\"resolution-form\""))
                .body(containsString("id=\"action-reason\""));
        as(browser).get("/requests/" + erasure).then().statusCode(200)
                .body(not(containsString("id=\"resolution-form\"")));

        Response missingReason = form(browser).formParam("outcome", "decision upheld")
                .post("/requests/" + review + "/resolution");
        assertThat(missingReason.statusCode()).isEqualTo(303);
        assertThat(missingReason.header("Location")).contains("error=");
        get(tenant, review).body("status", equalTo("action_required"));

        Response resolved = form(browser).formParam("outcome", "decision upheld")
                .formParam("reason", "a person checked the score and the data behind it")
                .post("/requests/" + review + "/resolution");
        assertThat(resolved.header("Location")).endsWith("/requests/" + review + "?notice=resolved");
        get(tenant, review).body("status", equalTo("completed"))
                .body("outcome.resolution", equalTo("decision upheld"));
        as(browser).get("/requests/" + review).then().body(containsString("id=\"resolution\">decision upheld<"))
                .body(not(containsString("id=\"resolution-form\"")));
    }

    @Test
    void shouldLiftARestrictionFromTheFormOnce() {
        String tenant = "dash-" + UUID.randomUUID().toString().substring(0, 8);
        String id = submitted(tenant, verifiedBody("restriction", subject()));
        CookieFilter browser = signedIn(tenant);
        as(browser).get("/requests/" + id).then().body(containsString("id=\"restriction-lift-form\""));

        Response lifted = form(browser).formParam("reason", "dispute settled")
                .post("/requests/" + id + "/restriction-lift");
        assertThat(lifted.header("Location")).endsWith("?notice=updated");
        get(tenant, id).body("restrictionLiftedAt", org.hamcrest.Matchers.notNullValue());
        as(browser).get("/requests/" + id).then().body(containsString("id=\"restriction-lifted-at\""))
                .body(not(containsString("id=\"restriction-lift-form\"")));
    }

    @Test
    void shouldAddTheAddressTheStoresNeedFromTheForm() {
        String tenant = "dash-" + UUID.randomUUID().toString().substring(0, 8);
        String subject = subject();
        java.util.Map<String, Object> body = verifiedBody("erasure", subject);
        body.remove("contactEmail");
        String id = submitted(tenant, body);
        SystemProgress waiting = new SystemProgress("mail-log-store", null, "ERASE", SystemProgress.ACTION_REQUIRED,
                null, 0, null, null, 0, at("2025-05-01T10:00:05Z"), List.of("email"));
        publish(Topics.REQUEST_PROGRESS, CODEC.envelope("/services/retention-service", tenant,
                pseudonym.of(tenant, subject), RequestProgress.actionRequired(id, tenant, List.of(waiting),
                        at("2025-05-01T10:00:05Z"), "mail-log-store needs email")));
        await().atMost(WAIT).untilAsserted(() -> get(tenant, id).body("status", equalTo("action_required")));
        CookieFilter browser = signedIn(tenant);
        as(browser).get("/requests/" + id).then().body(containsString("id=\"identifiers-form\""))
                .body(containsString("id=\"missing-identifiers\">email<"));

        Response invalid = form(browser).formParam("email", "no address")
                .post("/requests/" + id + "/identifiers");
        assertThat(invalid.header("Location")).contains("error=email");
        Response added = form(browser).formParam("email", "found@example.com")
                .post("/requests/" + id + "/identifiers");
        assertThat(added.header("Location")).endsWith("?notice=updated");
        assertThat(changes(id, 3).get(2).contactEmail()).isEqualTo("found@example.com");
    }

    private static CookieFilter signedIn(String tenant) {
        CookieFilter browser = new CookieFilter();
        as(browser).contentType(ContentType.URLENC).formParam("token", TestTokens.of(tenant, "operator"))
                .post("/login").then().statusCode(303);
        return browser;
    }

    /** A request as the dashboard's own pages send it: same origin, with the session's cookie. */
    private static RequestSpecification as(CookieFilter browser) {
        return given().redirects().follow(false).filter(browser)
                .header("Origin", "http://localhost:" + RestAssured.port);
    }

    /** A form POST of a dashboard page: it carries the session's CSRF token, read from the queue page. */
    private static RequestSpecification form(CookieFilter browser) {
        Matcher csrf = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"")
                .matcher(as(browser).get("/").then().statusCode(200).extract().asString());
        assertThat(csrf.find()).isTrue();
        return as(browser).contentType(ContentType.URLENC).formParam(OperatorSession.CSRF_FIELD, csrf.group(1));
    }
}
