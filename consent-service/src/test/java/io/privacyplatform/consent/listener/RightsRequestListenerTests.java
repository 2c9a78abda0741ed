package io.privacyplatform.consent.listener;

import static io.privacyplatform.consent.ConsentApi.as;
import static io.privacyplatform.consent.ConsentApi.decision;
import static io.privacyplatform.consent.ConsentApi.record;
import static io.privacyplatform.consent.ConsentApi.subject;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.privacyplatform.consent.ConsentApi;
import io.privacyplatform.events.EventEnvelope;
import io.privacyplatform.events.Topics;
import io.privacyplatform.events.payload.ConsentChanged;
import io.privacyplatform.events.payload.RightsRequestChanged;
import io.privacyplatform.testing.TestDatabase;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class RightsRequestListenerTests {

    @BeforeEach
    void catalog() {
        ConsentApi.catalog("acme");
    }

    @Test
    void shouldWithdrawMarketingAdvertisingAndLegitimateInterestOnceOnAnObjectionDeliveredTwice() throws Exception {
        String subject = subject();
        record("acme", subject, "newsletter", "granted");
        record("acme", subject, "ads", "granted");
        record("acme", subject, "product-tips", "granted");
        record("acme", subject, "analytics", "granted");
        record("acme", subject, "billing", "granted");
        String requestId = UUID.randomUUID().toString();
        EventEnvelope objection = request(requestId, subject, "objection", "verified");
        // Same key, same partition: once the marker's inbox row exists, both copies of the objection were consumed.
        EventEnvelope marker = request(UUID.randomUUID().toString(), subject, "objection", "submitted");
        ConsentApi.send(Topics.RIGHTS_REQUEST, objection, objection, marker);

        await().atMost(ConsentApi.WAIT).until(() -> TestDatabase.count(
                "SELECT count(*) FROM inbox_event WHERE event_id = ?", marker.id()) == 1);
        List<Map<String, Object>> withdrawals = TestDatabase.rows("SELECT purpose_id, channel FROM consent_record"
                + " WHERE subject_id = ? AND request_id = ? AND decision = 'withdrawn' ORDER BY purpose_id",
                subject, requestId);
        assertThat(withdrawals).extracting(r -> r.get("purpose_id"))
                .containsExactly("ads", "newsletter", "product-tips");
        assertThat(withdrawals).allMatch(r -> "rights_request".equals(r.get("channel")));
        as("acme", "app").get("/v1/subjects/{s}/consents", subject).then()
                .body("purposes.find { it.purpose == 'analytics' }.decision", equalTo("granted"))
                .body("purposes.find { it.purpose == 'billing' }.decision", equalTo("granted"))
                .body("purposes.find { it.purpose == 'newsletter' }.decision", equalTo("withdrawn"));

        List<ConsentChanged> events = ConsentApi.events(Topics.CONSENT_CHANGED,
                ConsentApi.PSEUDONYM.of("acme", subject), ConsentChanged.class, e -> e.size() >= 8);
        assertThat(events).hasSize(8);
        assertThat(events.subList(5, 8)).allMatch(e -> e.decision().equals("withdrawn")
                && e.channel().equals("rights_request"));
    }

    @Test
    void shouldRefuseNonEssentialGrantsOfARestrictedSubject() throws Exception {
        String subject = subject();
        record("acme", subject, "analytics", "granted");
        ConsentApi.send(Topics.RIGHTS_REQUEST, request(UUID.randomUUID().toString(), subject, "restriction",
                "verified"));
        await().atMost(ConsentApi.WAIT).until(() -> TestDatabase.count(
                "SELECT count(*) FROM restricted_subject WHERE subject_id = ?", subject) == 1);

        as("acme", "app").body(decision(subject, "newsletter", "granted")).post("/v1/consents").then()
                .statusCode(409).body("error.code", equalTo("subject_restricted"));
        as("acme", "app").body(decision(subject, "billing", "granted")).post("/v1/consents").then().statusCode(201);
        as("acme", "app").body(decision(subject, "analytics", "withdrawn")).post("/v1/consents").then()
                .statusCode(201);
        // Reads still work.
        as("acme", "operator").get("/v1/subjects/{s}/consents", subject).then().statusCode(200);
        assertThat(TestDatabase.count("SELECT count(*) FROM consent_record WHERE subject_id = ?"
                + " AND purpose_id = 'newsletter'", subject)).isZero();
    }

    @Test
    void shouldAnswerEveryGrantWithheldWhileRestrictedUntilTheRestrictionIsLifted() {
        String subject = subject();
        record("acme", subject, "newsletter", "granted");
        record("acme", subject, "analytics", "withdrawn");
        record("acme", subject, "billing", "granted");
        as("acme", "app").get("/v1/subjects/{s}/consents", subject).then().statusCode(200)
                .body("restricted", equalTo(false))
                .body("purposes.find { it.purpose == 'newsletter' }.effectiveDecision", equalTo("granted"));
        String requestId = UUID.randomUUID().toString();

        ConsentApi.send(Topics.RIGHTS_REQUEST, request(requestId, subject, "restriction", "verified"));

        await().atMost(ConsentApi.WAIT).untilAsserted(() -> as("acme", "operator")
                .get("/v1/subjects/{s}/consents", subject).then().statusCode(200).body("restricted", equalTo(true)));
        as("acme", "app").get("/v1/subjects/{s}/consents", subject).then()
                .body("purposes.find { it.purpose == 'newsletter' }.decision", equalTo("granted"))
                .body("purposes.find { it.purpose == 'newsletter' }.effectiveDecision", equalTo("withheld"))
                .body("purposes.find { it.purpose == 'billing' }.effectiveDecision", equalTo("withheld"))
                .body("purposes.find { it.purpose == 'analytics' }.effectiveDecision", equalTo("withdrawn"));
        as("acme", "app").queryParam("asOf", Instant.now().toString()).get("/v1/subjects/{s}/consents", subject)
                .then().body("restricted", equalTo(true))
                .body("purposes.find { it.purpose == 'newsletter' }.effectiveDecision", equalTo("withheld"));

        ConsentApi.send(Topics.RIGHTS_REQUEST, request(requestId, subject, "restriction", "restriction_lifted"));

        await().atMost(ConsentApi.WAIT).untilAsserted(() -> as("acme", "operator")
                .get("/v1/subjects/{s}/consents", subject).then().body("restricted", equalTo(false)));
        as("acme", "app").get("/v1/subjects/{s}/consents", subject).then()
                .body("purposes.find { it.purpose == 'newsletter' }.effectiveDecision", equalTo("granted"));
        assertThat(TestDatabase.count("SELECT count(*) FROM restricted_subject WHERE subject_id = ?", subject))
                .isZero();
        as("acme", "app").body(decision(subject, "newsletter", "granted")).post("/v1/consents").then()
                .statusCode(201);
    }

    private static EventEnvelope request(String requestId, String subject, String type, String status) {
        RightsRequestChanged change = new RightsRequestChanged(requestId, "acme", type, status, null, subject, null,
                "GDPR", Instant.now(), null, Map.of(), null, null, Instant.now());
        return ConsentApi.CODEC.envelope("/services/request-service", "acme", ConsentApi.PSEUDONYM.of("acme", subject),
                change);
    }
}
