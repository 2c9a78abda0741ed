package io.privacyplatform.consent.rest;

import static io.privacyplatform.consent.ConsentApi.as;
import static io.privacyplatform.consent.ConsentApi.decision;
import static io.privacyplatform.consent.ConsentApi.record;
import static io.privacyplatform.consent.ConsentApi.subject;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.privacyplatform.consent.ConsentApi;
import io.privacyplatform.events.Topics;
import io.privacyplatform.events.payload.ConsentChanged;
import io.privacyplatform.testing.TestDatabase;
import io.privacyplatform.testing.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;

@QuarkusTest
class ConsentResourceTests {

    @BeforeEach
    void catalog() {
        ConsentApi.catalog("acme");
        ConsentApi.catalog("platform");
    }

    @Test
    void shouldRefuseATokenForAnotherService() {
        String subject = "subj-" + UUID.randomUUID();
        RestAssured.given()
                .header("Authorization", TestTokens.bearerFor("request-service", "acme", "app"))
                .get("/v1/subjects/{s}/consents", subject)
                .then().statusCode(401).body("error.code", equalTo("unauthorized"));
        RestAssured.given()
                .header("Authorization", TestTokens.bearerFor("consent-service", "acme", "app"))
                .get("/v1/subjects/{s}/consents", subject)
                .then().statusCode(404);
    }

    @Test
    void shouldKeepHistoryAnswerAsOfAndPublishEventsInOrder() {
        String subject = subject();
        String granted = recordAt(subject, "granted", "2025-03-01T10:00:00Z");
        String withdrawn = recordAt(subject, "withdrawn", "2025-03-02T10:00:00Z");
        String again = recordAt(subject, "granted", "2025-03-03T10:00:00Z");

        as("acme", "operator").get("/v1/subjects/{s}/consents/history", subject).then().statusCode(200)
                .body("items.consentId", contains(again, withdrawn, granted))
                .body("items.decision", contains("granted", "withdrawn", "granted"));
        assertThat(TestDatabase.count("SELECT count(*) FROM consent_record WHERE subject_id = ?", subject))
                .isEqualTo(3);

        stateAt(subject, "2025-02-28T00:00:00Z").body("purposes", empty());
        stateAt(subject, "2025-03-01T10:00:00Z").body("purposes[0].decision", equalTo("granted"))
                .body("purposes[0].consentId", equalTo(granted));
        stateAt(subject, "2025-03-02T12:00:00Z").body("purposes[0].decision", equalTo("withdrawn"))
                .body("purposes[0].consentId", equalTo(withdrawn));
        stateAt(subject, "2025-03-03T10:00:00Z").body("purposes[0].decision", equalTo("granted"));
        as("acme", "app").get("/v1/subjects/{s}/consents", subject).then().statusCode(200)
                .body("subjectId", equalTo(subject))
                .body("purposes", hasSize(1))
                .body("purposes[0].consentId", equalTo(again))
                .body("purposes[0].reconsentRequired", equalTo(false));

        String key = ConsentApi.PSEUDONYM.of("acme", subject);
        List<ConsentChanged> events = ConsentApi.events(Topics.CONSENT_CHANGED, key, ConsentChanged.class,
                e -> e.size() >= 3);
        assertThat(events).extracting(ConsentChanged::consentId).containsExactly(granted, withdrawn, again);
        assertThat(events).extracting(ConsentChanged::decision).containsExactly("granted", "withdrawn", "granted");
        assertThat(events.get(0).subjectId()).isEqualTo(subject);
        assertThat(events.get(0).category()).isEqualTo("marketing_email");
        assertThat(events.get(0).lawfulBasis()).isEqualTo("consent");
        assertThat(events.get(0).channel()).isEqualTo("web");
        assertThat(events.get(0).policyVersion()).isEqualTo(ConsentApi.POLICY);
    }

    @Test
    void shouldPublishConcurrentDecisionsOfOneSubjectInTheOrderOfTheirRecords() throws Exception {
        String subject = subject();
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(6);
        try {
            List<java.util.concurrent.Future<Integer>> posts = new java.util.ArrayList<>();
            for (int i = 0; i < 12; i++) {
                String body = decision(subject, i % 2 == 0 ? "newsletter" : "analytics",
                        i % 3 == 0 ? "withdrawn" : "granted");
                posts.add(pool.submit(() -> as("acme", "app").body(body).post("/v1/consents").statusCode()));
            }
            for (java.util.concurrent.Future<Integer> post : posts) {
                assertThat(post.get()).isEqualTo(201);
            }
        } finally {
            pool.shutdownNow();
        }
        List<String> ledgerOrder = TestDatabase.rows("SELECT consent_id::text AS cid FROM consent_record"
                + " WHERE subject_id = ? ORDER BY id", subject).stream().map(r -> r.get("cid").toString()).toList();
        List<ConsentChanged> events = ConsentApi.events(Topics.CONSENT_CHANGED,
                ConsentApi.PSEUDONYM.of("acme", subject), ConsentChanged.class, e -> e.size() >= 12);
        assertThat(events).extracting(ConsentChanged::consentId).containsExactlyElementsOf(ledgerOrder);
    }

    @Test
    void shouldPageHistoryWithACursor() {
        String subject = subject();
        for (int i = 1; i <= 3; i++) {
            recordAt(subject, i % 2 == 1 ? "granted" : "withdrawn", "2025-04-0" + i + "T10:00:00Z");
        }
        ExtractableResponse<Response> first = as("acme", "app")
                .get("/v1/subjects/{s}/consents/history?limit=2", subject).then().statusCode(200)
                .body("items", hasSize(2)).body("nextCursor", notNullValue()).extract();
        as("acme", "app").queryParam("cursor", first.path("nextCursor").toString())
                .get("/v1/subjects/{s}/consents/history?limit=2", subject).then().statusCode(200)
                .body("items", hasSize(1)).body("items[0].occurredAt", equalTo("2025-04-01T10:00:00Z"))
                .body("nextCursor", equalTo(null));
        as("acme", "app").get("/v1/subjects/{s}/consents/history?cursor=bogus", subject).then().statusCode(400)
                .body("error.details[0].field", equalTo("cursor"));
    }

    @Test
    void shouldReplayIdempotentRequestWithTheSameConsentId() {
        String subject = subject();
        String key = UUID.randomUUID().toString();
        String first = as("acme", "app").header("Idempotency-Key", key).body(decision(subject, "newsletter", "granted"))
                .post("/v1/consents").then().statusCode(201).extract().path("consentId");
        as("acme", "app").header("Idempotency-Key", key).body(decision(subject, "newsletter", "granted"))
                .post("/v1/consents").then().statusCode(201).header("Idempotent-Replayed", "true")
                .body("consentId", equalTo(first));
        as("acme", "app").header("Idempotency-Key", key).body(decision(subject, "newsletter", "withdrawn"))
                .post("/v1/consents").then().statusCode(409).body("error.code", equalTo("idempotency_key_reused"));
        assertThat(TestDatabase.count("SELECT count(*) FROM consent_record WHERE subject_id = ?", subject))
                .isEqualTo(1);
    }

    @Test
    void shouldStoreNothingWhenOneBatchItemIsBad() {
        String subject = subject();
        String body = "{\"records\":[" + decision(subject, "newsletter", "granted") + ","
                + decision(subject, "analytics", "granted") + "," + decision(subject, "ads", "maybe") + "]}";
        as("acme", "app").body(body).post("/v1/consents/batch").then().statusCode(400)
                .body("error.code", equalTo("validation_failed"))
                .body("error.details[0].field", equalTo("records[2].decision"))
                .body("error.details[0].index", equalTo(2))
                .body("error.details[0].problem", containsString("granted, withdrawn, denied"));
        String unknown = "{\"records\":[" + decision(subject, "newsletter", "granted") + ","
                + decision(subject, "no-such-purpose", "granted") + "]}";
        as("acme", "app").body(unknown).post("/v1/consents/batch").then().statusCode(422)
                .body("error.code", equalTo("unknown_purpose"))
                .body("error.details[0].field", equalTo("records[1].purpose"))
                .body("error.details[0].index", equalTo(1));
        assertThat(TestDatabase.count("SELECT count(*) FROM consent_record WHERE subject_id = ?", subject)).isZero();
        assertThat(TestDatabase.count("SELECT count(*) FROM consent_current WHERE subject_id = ?", subject)).isZero();
        assertThat(TestDatabase.count("SELECT count(*) FROM outbox_event WHERE record_key = ?",
                ConsentApi.PSEUDONYM.of("acme", subject))).isZero();
    }

    @Test
    void shouldRejectABatchOverTheLimitAndGpcGrantsWithTheirIndex() {
        String subject = subject();
        StringBuilder body = new StringBuilder("{\"records\":[");
        for (int i = 0; i < 1001; i++) {
            body.append(i == 0 ? "" : ",").append(decision(subject, "newsletter", "granted"));
        }
        as("acme", "app").body(body.append("]}").toString()).post("/v1/consents/batch").then().statusCode(400)
                .body("error.details[0].field", equalTo("records"));
        as("acme", "app").body("{\"records\":[]}").post("/v1/consents/batch").then().statusCode(400);
        as("acme", "app").header("Sec-GPC", "1").body("{\"records\":[" + decision(subject, "newsletter", "granted")
                + "," + decision(subject, "retargeting", "granted") + "]}").post("/v1/consents/batch").then()
                .statusCode(409).body("error.code", equalTo("gpc_conflict"))
                .body("error.details[0].index", equalTo(1))
                .body("error.details[0].field", equalTo("records[1].decision"));
        assertThat(TestDatabase.count("SELECT count(*) FROM consent_record WHERE subject_id = ?", subject)).isZero();
    }

    @Test
    void shouldRecordAWholeBatch() {
        String subject = subject();
        String body = "{\"records\":[" + decision(subject, "newsletter", "granted") + ","
                + decision(subject, "analytics", "denied") + "]}";
        as("acme", "app").body(body).post("/v1/consents/batch").then().statusCode(201)
                .body("records.purpose", contains("newsletter", "analytics"));
        assertThat(TestDatabase.count("SELECT count(*) FROM consent_current WHERE subject_id = ?", subject))
                .isEqualTo(2);
    }

    @Test
    void shouldRejectInvalidFieldsAndStoreNothing() {
        String subject = subject();
        as("acme", "app").body(decision(subject, "newsletter", "granted").replace("\"web\"", "\"fax\""))
                .post("/v1/consents").then().statusCode(400)
                .body("error.details[0].field", equalTo("channel"))
                .body("error.details[0].problem", containsString("rights_request"));
        as("acme", "app").body("{\"subjectId\":\"" + subject + "\",\"purpose\":\"newsletter\","
                + "\"decision\":\"granted\",\"lawfulBasis\":\"because\"}").post("/v1/consents").then()
                .statusCode(400).body("error.details[0].field", equalTo("lawfulBasis"))
                .body("error.details[0].problem", containsString("legitimate_interest"));
        as("acme", "app").body("{\"subjectId\":\"" + subject + "\",\"purpose\":\"newsletter\","
                + "\"decision\":\"granted\",\"occurredAt\":\"2999-01-01T00:00:00Z\"}").post("/v1/consents").then()
                .statusCode(400).body("error.details[0].field", equalTo("occurredAt"));
        as("acme", "app").body("{\"subjectId\":\"" + subject + "\",\"purpose\":\"newsletter\","
                + "\"decision\":\"granted\",\"evidence\":{\"text\":\"" + "x".repeat(2001) + "\"}}")
                .post("/v1/consents").then().statusCode(400)
                .body("error.details[0].field", equalTo("evidence.text"));
        as("acme", "app").body("{\"subjectId\":\"" + "s".repeat(201) + "\",\"purpose\":\"newsletter\","
                + "\"decision\":\"granted\"}").post("/v1/consents").then().statusCode(400)
                .body("error.details[0].field", equalTo("subjectId"));
        as("acme", "app").body(decision(subject, "newsletter", "granted").replace(ConsentApi.POLICY, "1999-x"))
                .post("/v1/consents").then().statusCode(422).body("error.code", equalTo("unknown_policy_version"));
        as("acme", "app").body(decision(subject, "no-such-purpose", "granted")).post("/v1/consents").then()
                .statusCode(422).body("error.code", equalTo("unknown_purpose"))
                .body("error.details[0].field", equalTo("purpose"));
        as("acme", "app").body("{\"subjectId\":\"" + subject + "\",\"purpose\":\"newsletter\","
                + "\"decision\":\"granted\",\"colour\":\"red\"}").post("/v1/consents").then().statusCode(400)
                .body("error.details[0].field", equalTo("colour"));
        as("acme", "operator").body(decision(subject, "newsletter", "granted")).post("/v1/consents").then()
                .statusCode(403);
        assertThat(TestDatabase.count("SELECT count(*) FROM consent_record WHERE subject_id = ?", subject)).isZero();
    }

    @Test
    void shouldStoreEvidenceWithoutAnsweringIt() {
        String subject = subject();
        as("acme", "app").body("{\"subjectId\":\"" + subject + "\",\"purpose\":\"newsletter\","
                + "\"decision\":\"granted\",\"lawfulBasis\":\"consent\",\"evidence\":{\"ipAddress\":\"203.0.113.7\","
                + "\"userAgent\":\"Mozilla/5.0\",\"text\":\"Yes, send me news\"}}").post("/v1/consents").then()
                .statusCode(201).body("evidence", equalTo(null)).body("channel", equalTo("api"));
        Map<String, Object> row = TestDatabase.rows("SELECT evidence_ip, evidence_user_agent, evidence_text"
                + " FROM consent_record WHERE subject_id = ?", subject).get(0);
        assertThat(row).containsEntry("evidence_ip", "203.0.113.7").containsEntry("evidence_text",
                "Yes, send me news");
    }

    @Test
    void shouldWithdrawGrantedAdvertisingOnGlobalPrivacyControl() {
        String subject = subject();
        record("acme", subject, "ads", "granted");
        record("acme", subject, "retargeting", "granted");
        record("acme", subject, "analytics", "granted");

        as("acme", "app").header("Sec-GPC", "1").body(decision(subject, "newsletter", "granted"))
                .post("/v1/consents").then().statusCode(201)
                .body("gpc", equalTo(true))
                .body("gpcWithdrawals.purpose", containsInAnyOrder("ads", "retargeting"))
                .body("gpcWithdrawals.decision", contains("withdrawn", "withdrawn"));

        as("acme", "app").get("/v1/subjects/{s}/consents", subject).then().statusCode(200)
                .body("purposes.find { it.purpose == 'ads' }.decision", equalTo("withdrawn"))
                .body("purposes.find { it.purpose == 'retargeting' }.decision", equalTo("withdrawn"))
                .body("purposes.find { it.purpose == 'analytics' }.decision", equalTo("granted"));
        assertThat(TestDatabase.count("SELECT count(*) FROM consent_record WHERE subject_id = ? AND gpc"
                + " AND decision = 'withdrawn' AND category = 'advertising' AND channel = 'web'", subject))
                .isEqualTo(2);
        List<ConsentChanged> events = ConsentApi.events(Topics.CONSENT_CHANGED,
                ConsentApi.PSEUDONYM.of("acme", subject), ConsentChanged.class, e -> e.size() >= 6);
        assertThat(events.subList(4, 6)).allMatch(e -> e.gpc() && e.decision().equals("withdrawn"));
    }

    @Test
    void shouldRefuseAnAdvertisingGrantCarryingGlobalPrivacyControl() {
        String subject = subject();
        as("acme", "app").header("Sec-GPC", "1").body(decision(subject, "ads", "granted")).post("/v1/consents")
                .then().statusCode(409).body("error.code", equalTo("gpc_conflict"));
        assertThat(TestDatabase.count("SELECT count(*) FROM consent_record WHERE subject_id = ?", subject)).isZero();
        // Without the signal the same grant is fine.
        as("acme", "app").body(decision(subject, "ads", "granted")).post("/v1/consents").then().statusCode(201);
    }

    @Test
    void shouldAnswerAReceiptWithTheConsentReceiptFields() {
        String subject = subject();
        String consentId = record("acme", subject, "newsletter", "granted");
        as("acme", "operator").get("/v1/consents/{id}/receipt", consentId).then().statusCode(200)
                .body("receiptId", equalTo(consentId))
                .body("version", equalTo("KI-CR-v1.1.0"))
                .body("jurisdiction", equalTo("EU"))
                .body("timestamp", notNullValue())
                .body("consentTimestamp", notNullValue())
                .body("collectionMethod", equalTo("web"))
                .body("controller.name", equalTo("Privacy Platform"))
                .body("controller.contact", equalTo("privacy@example.com"))
                .body("subject", equalTo(subject))
                .body("purpose.id", equalTo("newsletter"))
                .body("purpose.title", equalTo("Title of newsletter"))
                .body("purpose.category", equalTo("marketing_email"))
                .body("lawfulBasis", equalTo("consent"))
                .body("decision", equalTo("granted"))
                .body("policy.url", equalTo("https://example.com/privacy"))
                .body("policy.version", equalTo(ConsentApi.POLICY))
                .body("withdrawal.method", containsString("withdrawn"))
                .body("withdrawal.url", containsString("/v1/unsubscribe/"));
        as("acme", "app").get("/v1/consents/{id}/receipt", UUID.randomUUID()).then().statusCode(404);
    }

    @Test
    void shouldNeverShowOneTenantsSubjectsToAnother() {
        String subject = subject();
        String consentId = record("platform", subject, "newsletter", "granted");
        as("acme", "app").get("/v1/subjects/{s}/consents", subject).then().statusCode(404)
                .body("error.code", equalTo("not_found"));
        as("acme", "operator").get("/v1/subjects/{s}/consents/history", subject).then().statusCode(404);
        as("acme", "app").get("/v1/consents/{id}/receipt", consentId).then().statusCode(404);
        as("platform", "app").get("/v1/subjects/{s}/consents", subject).then().statusCode(200)
                .body("purposes", hasSize(1));
        as("acme", "app").get("/v1/subjects/{s}/consents", subject).then().statusCode(404);
        io.restassured.RestAssured.get("/v1/subjects/" + subject + "/consents").then().statusCode(401);
    }

    private static String recordAt(String subject, String decision, String occurredAt) {
        return as("acme", "app").body("{\"subjectId\":\"" + subject + "\",\"purpose\":\"newsletter\",\"decision\":\""
                + decision + "\",\"policyVersion\":\"" + ConsentApi.POLICY + "\",\"channel\":\"web\","
                + "\"occurredAt\":\"" + occurredAt + "\"}").post("/v1/consents").then().statusCode(201)
                .extract().path("consentId");
    }

    private static io.restassured.response.ValidatableResponse stateAt(String subject, String asOf) {
        return as("acme", "app").queryParam("asOf", asOf).get("/v1/subjects/{s}/consents", subject).then()
                .statusCode(200).body("asOf", equalTo(asOf));
    }
}
