package io.privacyplatform.request.rest;

import static io.privacyplatform.request.RequestFixtures.at;
import static io.privacyplatform.request.RequestFixtures.body;
import static io.privacyplatform.request.RequestFixtures.changes;
import static io.privacyplatform.request.RequestFixtures.clock;
import static io.privacyplatform.request.RequestFixtures.get;
import static io.privacyplatform.request.RequestFixtures.notifications;
import static io.privacyplatform.request.RequestFixtures.post;
import static io.privacyplatform.request.RequestFixtures.subject;
import static io.privacyplatform.request.RequestFixtures.submit;
import static io.privacyplatform.request.RequestFixtures.submitted;
import static io.privacyplatform.request.RequestFixtures.verifiedBody;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.nullValue;

import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.privacyplatform.events.SubjectPseudonym;
import io.privacyplatform.events.payload.Notification;
import io.privacyplatform.events.payload.RightsRequestChanged;
import io.privacyplatform.request.MailerKeys;
import io.privacyplatform.request.RequestFixtures;
import io.privacyplatform.request.service.VerificationCodes;
import io.privacyplatform.testing.TestDatabase;
import io.privacyplatform.testing.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

@QuarkusTest
class RightsRequestResourceTests {

    @Inject
    SubjectPseudonym pseudonym;

    @Inject
    VerificationCodes codes;

    private static String tenant() {
        return "t-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void shouldRefuseATokenForAnotherServiceOnTheApiAndTheDashboard() {
        String tenant = "aud-" + UUID.randomUUID().toString().substring(0, 8);
        given().header("Authorization", TestTokens.bearerFor("consent-service", tenant, "app"))
                .contentType(ContentType.JSON).body(body("erasure", subject())).post("/v1/requests")
                .then().statusCode(401).body("error.code", equalTo("unauthorized"));
        assertThat(TestDatabase.count("SELECT count(*) FROM rights_request WHERE tenant_id = ?", tenant)).isZero();
        // The dashboard verifies a pasted token with the same rule: no session for another service's token.
        // Same-origin form posts (the dashboard refuses others), so only the audience decides.
        String origin = "http://localhost:" + io.restassured.RestAssured.port;
        io.restassured.response.Response refused = given().redirects().follow(false).header("Origin", origin)
                .contentType(ContentType.URLENC)
                .formParam("token", TestTokens.forAudience("retention-service", tenant, "operator")).post("/login");
        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(refused.getDetailedCookie(OperatorSession.COOKIE)).isNull();
        given().redirects().follow(false).header("Origin", origin).contentType(ContentType.URLENC)
                .formParam("token", TestTokens.forAudience("request-service", tenant, "operator")).post("/login")
                .then().statusCode(303);
    }

    @Test
    void shouldBeDueAtTheEndOfFebruaryWhenReceivedOnTheLastDayOfJanuary() {
        clock().set(at("2025-01-31T10:00:00Z"));
        submit("acme", body("access", subject())).statusCode(201)
                .body("status", equalTo("identity_unverified"))
                .body("receivedAt", equalTo("2025-01-31T10:00:00Z"))
                .body("dueAt", equalTo("2025-02-28T10:00:00Z"))
                .body("daysLeft", equalTo(28))
                .body("overdue", equalTo(false))
                .body("regulation", equalTo("GDPR"));
        clock().set(at("2024-01-30T08:00:00Z"));
        submit("acme", body("access", subject())).statusCode(201).body("dueAt", equalTo("2024-02-29T08:00:00Z"));
        clock().set(at("2025-03-15T09:30:00Z"));
        submit("acme", body("erasure", subject())).statusCode(201).body("dueAt", equalTo("2025-04-14T09:30:00Z"))
                .body("daysLeft", equalTo(30));
        Map<String, Object> ccpa = body("erasure", subject());
        ccpa.put("regulation", "ccpa");
        submit("acme", ccpa).statusCode(201).body("dueAt", equalTo("2025-04-29T09:30:00Z"))
                .body("regulation", equalTo("CCPA"));
    }

    @Test
    void shouldRejectInvalidSubmissionsAndStoreNothing() {
        String tenant = tenant();
        Map<String, Object> badType = body("forget-me", subject());
        submit(tenant, badType).statusCode(400).body("error.code", equalTo("validation_failed"))
                .body("error.details.field", hasItem("type"));
        Map<String, Object> noSubject = body("erasure", null);
        submit(tenant, noSubject).statusCode(400).body("error.details.field", hasItem("subjectId"));
        Map<String, Object> vouchedByNobody = body("erasure", subject());
        vouchedByNobody.put("identityVerified", true);
        submit(tenant, vouchedByNobody).statusCode(400).body("error.details.field", hasItem("verifiedBy"));
        Map<String, Object> unknownField = body("erasure", subject());
        unknownField.put("priority", "high");
        submit(tenant, unknownField).statusCode(400).body("error.details.field", hasItem("priority"));
        Map<String, Object> strayRectification = body("erasure", subject());
        strayRectification.put("rectification", Map.of("name", "Jane"));
        submit(tenant, strayRectification).statusCode(400).body("error.details.field", hasItem("rectification"));
        Map<String, Object> noPairs = body("rectification", subject());
        submit(tenant, noPairs).statusCode(400).body("error.details.field", hasItem("rectification"));
        Map<String, Object> badRegulation = body("erasure", subject());
        badRegulation.put("regulation", "lgpd");
        submit(tenant, badRegulation).statusCode(400).body("error.details.field", hasItem("regulation"));
        Map<String, Object> badEmail = body("erasure", subject());
        badEmail.put("contactEmail", "not-an-address");
        submit(tenant, badEmail).statusCode(400).body("error.details.field", hasItem("contactEmail"));
        Map<String, Object> noAddress = body("erasure", subject());
        noAddress.remove("contactEmail");
        submit(tenant, noAddress).statusCode(400).body("error.details.field", hasItem("contactEmail"));
        Map<String, Object> routedByCustomer = body("erasure", subject());
        routedByCustomer.put("controllerTenantId", "globex");
        submit(tenant, routedByCustomer).statusCode(400).body("error.details.field", hasItem("controllerTenantId"));
        given().header("Authorization", TestTokens.bearer(tenant, "app")).contentType(ContentType.JSON)
                .body("{\"type\":").post("/v1/requests").then().statusCode(400)
                .body("error.code", equalTo("malformed_json"));
        given().header("Authorization", TestTokens.bearer(tenant, "admin")).contentType(ContentType.JSON)
                .body(body("erasure", subject())).post("/v1/requests").then().statusCode(403);
        given().contentType(ContentType.JSON).body(body("erasure", subject())).post("/v1/requests").then()
                .statusCode(401);

        assertThat(TestDatabase.count("SELECT count(*) FROM rights_request WHERE tenant_id = ?", tenant)).isZero();
        assertThat(TestDatabase.count("SELECT count(*) FROM outbox_event WHERE tenant_id = ?", tenant)).isZero();
    }

    @Test
    void shouldVerifyAtOnceWhenTheAppVouchesAndPublishWhatTheStoresNeed() {
        clock().set(at("2025-05-01T09:15:30Z"));
        String subject = subject();
        Map<String, Object> body = verifiedBody("rectification", subject);
        body.put("rectification", Map.of("lastName", "Doe-Smith"));
        String id = submitted("acme", body);
        get("acme", id).statusCode(200).body("status", equalTo("verified")).body("identityVerified", equalTo(true))
                .body("verifiedBy", equalTo("app-session")).body("rectification.lastName", equalTo("Doe-Smith"));

        RightsRequestChanged verified = changes(id, 1).get(0);
        assertThat(verified.status()).isEqualTo("verified");
        assertThat(verified.contactEmail()).isEqualTo("jane.doe@example.com");
        assertThat(verified.rectification()).containsEntry("lastName", "Doe-Smith");
        assertThat(verified.subjectId()).isEqualTo(subject);
        assertThat(verified.dueAt()).isEqualTo(at("2025-05-31T09:15:30Z"));
        ConsumerRecord<String, byte[]> record = RequestFixtures.changeRecords(id).get(0);
        assertThat(record.key()).isEqualTo(pseudonym.of("acme", subject));
        assertThat(TestDatabase.count("SELECT count(*) FROM rights_request WHERE id = ? AND status = 'verified'",
                UUID.fromString(id))).isEqualTo(1);
    }

    @Test
    void shouldSendAVerificationCodeOnlySealedForTheMailerKeepOnlyItsHashAndVerifyWithIt() throws Exception {
        clock().set(at("2025-05-01T10:15:30Z"));
        String id = submitted("acme", body("erasure", subject()));
        Notification sent = notifications(id, 1).get(0);
        assertThat(sent.kind()).isEqualTo(Notification.VERIFICATION_CODE);
        assertThat(sent.recipient()).isEqualTo("jane.doe@example.com");
        assertThat(sent.params()).containsOnlyKeys("sealed", "requestId", "expiresAt")
                .containsEntry("requestId", id).containsEntry("expiresAt", "2025-05-02T10:15:30Z");
        // A compact JWE (five parts) for the mailer's RSA key: RSA-OAEP-256 key wrapping, A256GCM content.
        String sealed = sent.params().get("sealed");
        assertThat(sealed.split("\\.", -1)).hasSize(5);
        JsonNode header = new ObjectMapper().readTree(Base64.getUrlDecoder().decode(sealed.split("\\.")[0]));
        assertThat(header.get("alg").asText()).isEqualTo("RSA-OAEP-256");
        assertThat(header.get("enc").asText()).isEqualTo("A256GCM");
        assertThat(header.get("kid").asText()).isNotBlank();
        // What the mailer does: open it with its private key and read the code.
        String code = MailerKeys.code(sent);
        assertThat(code).matches("\\d{6}");
        assertThat(MailerKeys.open(sent)).containsOnlyKeys("code");

        // The notification's outbox row is deleted once sent; the request's ordinary event stays until the prune.
        await().atMost(RequestFixtures.WAIT).until(() -> TestDatabase.count("SELECT count(*) FROM outbox_event"
                + " WHERE convert_from(payload, 'UTF8')::jsonb ->> 'notificationId' = ?", sent.notificationId()) == 0);
        assertThat(TestDatabase.count("SELECT count(*) FROM outbox_event WHERE ce_type = ? AND sent_at IS NOT NULL"
                + " AND convert_from(payload, 'UTF8')::jsonb ->> 'requestId' = ?",
                "io.privacyplatform.rights-request.changed.v1", id)).isEqualTo(1);

        // Not in clear anywhere in the request's rows; the stored value is the keyed hash of this code.
        UUID requestId = UUID.fromString(id);
        assertThat(TestDatabase.count("SELECT count(*) FROM rights_request r WHERE id = ? AND row_to_json(r)::text"
                + " ~ ('(^|[^0-9])' || ? || '([^0-9]|$)')", requestId, code)).isZero();
        assertThat(TestDatabase.count("SELECT count(*) FROM request_audit a WHERE request_id = ? AND "
                + "row_to_json(a)::text ~ ('(^|[^0-9])' || ? || '([^0-9]|$)')", requestId, code)).isZero();
        String stored = (String) TestDatabase.rows("SELECT verification_hash FROM rights_request WHERE id = ?",
                requestId).get(0).get("verification_hash");
        assertThat(codes.matches(requestId, code, stored)).isTrue();

        post("acme", "app", "/v1/requests/" + id + "/verification", Map.of("code", code)).statusCode(200)
                .body("status", equalTo("verified"));
        List<RightsRequestChanged> events = changes(id, 2);
        assertThat(events).extracting(RightsRequestChanged::status).containsExactly("identity_unverified",
                "verified");
        assertThat(events.get(0).contactEmail()).isNull();
        assertThat(events.get(1).contactEmail()).isEqualTo("jane.doe@example.com");
        assertThat(events.get(1).previousStatus()).isEqualTo("identity_unverified");
        post("acme", "app", "/v1/requests/" + id + "/verification", Map.of("code", code)).statusCode(409)
                .body("error.code", equalTo("verification_not_pending"));
    }

    @Test
    void shouldLockTheCodeAfterFiveWrongAttempts() {
        clock().set(at("2025-05-01T10:15:30Z"));
        String id = submitted("acme", body("erasure", subject()));
        String code = MailerKeys.code(notifications(id, 1).get(0));
        String wrong = code.equals("000000") ? "111111" : "000000";
        String path = "/v1/requests/" + id + "/verification";
        for (int attempt = 1; attempt <= 4; attempt++) {
            post("acme", "app", path, Map.of("code", wrong)).statusCode(422).body("error.code",
                    equalTo("wrong_code")).body("error.message", org.hamcrest.Matchers.containsString(
                            (5 - attempt) + " attempt"));
        }
        post("acme", "app", path, Map.of("code", wrong)).statusCode(423)
                .body("error.code", equalTo("verification_locked"));
        post("acme", "app", path, Map.of("code", code)).statusCode(423)
                .body("error.code", equalTo("verification_locked"));
        // New codes do not buy more guesses.
        post("acme", "app", "/v1/requests/" + id + "/verification-code", null).statusCode(423);
        get("acme", id).body("status", equalTo("identity_unverified"));
        assertThat(TestDatabase.count("SELECT verification_attempts FROM rights_request WHERE id = ?",
                UUID.fromString(id))).isEqualTo(5);
        post("acme", "app", path, Map.of("code", "12ab")).statusCode(400);
    }

    @Test
    void shouldRefuseAnExpiredCode() {
        clock().set(at("2025-05-01T10:15:30Z"));
        String id = submitted("acme", body("erasure", subject()));
        String code = MailerKeys.code(notifications(id, 1).get(0));
        clock().advance(Duration.ofHours(24));
        post("acme", "app", "/v1/requests/" + id + "/verification", Map.of("code", code)).statusCode(410)
                .body("error.code", equalTo("verification_expired"));
        get("acme", id).body("status", equalTo("identity_unverified"));

        // A new code replaces the expired one.
        post("acme", "app", "/v1/requests/" + id + "/verification-code", null).statusCode(202)
                .body("expiresAt", equalTo("2025-05-03T10:15:30Z"));
        String fresh = MailerKeys.code(notifications(id, 2).get(1));
        if (!fresh.equals(code)) {
            post("acme", "app", "/v1/requests/" + id + "/verification", Map.of("code", code)).statusCode(422);
        }
        post("acme", "app", "/v1/requests/" + id + "/verification", Map.of("code", fresh)).statusCode(200)
                .body("status", equalTo("verified"));
        post("acme", "app", "/v1/requests/" + id + "/verification-code", null).statusCode(409)
                .body("error.code", equalTo("verification_not_pending"));
    }

    @Test
    void shouldReplayASubmissionWithTheSameIdempotencyKey() {
        String tenant = tenant();
        Map<String, Object> body = verifiedBody("erasure", subject());
        String first = given().header("Authorization", TestTokens.bearer(tenant, "app"))
                .header("Idempotency-Key", "k-1").contentType(ContentType.JSON).body(body).post("/v1/requests")
                .then().statusCode(201).extract().path("requestId");
        given().header("Authorization", TestTokens.bearer(tenant, "app")).header("Idempotency-Key", "k-1")
                .contentType(ContentType.JSON).body(body).post("/v1/requests").then().statusCode(201)
                .header("Idempotent-Replayed", "true").body("requestId", equalTo(first));
        body.put("details", "something else");
        given().header("Authorization", TestTokens.bearer(tenant, "app")).header("Idempotency-Key", "k-1")
                .contentType(ContentType.JSON).body(body).post("/v1/requests").then().statusCode(409)
                .body("error.code", equalTo("idempotency_key_reused"));
        assertThat(TestDatabase.count("SELECT count(*) FROM rights_request WHERE tenant_id = ?", tenant))
                .isEqualTo(1);
    }

    @Test
    void shouldHideAnotherTenantsRequest() {
        String id = submitted("acme", verifiedBody("access", subject()));
        get("globex", id).statusCode(404).body("error.code", equalTo("not_found"));
        post("globex", "operator", "/v1/requests/" + id + "/denial", Map.of("reason", "x")).statusCode(404);
        given().header("Authorization", TestTokens.bearer("globex", "operator")).get("/v1/requests/" + id + "/audit")
                .then().statusCode(404);
        get("acme", "not-a-uuid").statusCode(404);
        get("acme", id).statusCode(200);
    }

    @Test
    void shouldAllowValidAndRefuseInvalidTransitions() {
        clock().set(at("2025-05-01T10:00:00Z"));
        // identity_unverified -> denied (with a reason) -> nothing else
        String denied = submitted("acme", body("objection", subject()));
        post("acme", "operator", "/v1/requests/" + denied + "/denial", Map.of()).statusCode(400)
                .body("error.details.field", hasItem("reason"));
        post("acme", "operator", "/v1/requests/" + denied + "/denial", Map.of("reason", "manifestly unfounded"))
                .statusCode(200).body("status", equalTo("denied")).body("outcome.reason",
                        equalTo("manifestly unfounded")).body("daysLeft", nullValue());
        post("acme", "operator", "/v1/requests/" + denied + "/cancellation", null).statusCode(409)
                .body("error.code", equalTo("invalid_transition"))
                .body("error.message", org.hamcrest.Matchers.containsString("'denied' to 'cancelled'"));
        post("acme", "operator", "/v1/requests/" + denied + "/denial", Map.of("reason", "again")).statusCode(409)
                .body("error.code", equalTo("invalid_transition"));
        post("acme", "operator", "/v1/requests/" + denied + "/extension", Map.of("months", 1, "reason", "r"))
                .statusCode(409).body("error.code", equalTo("invalid_transition"));
        post("acme", "app", "/v1/requests/" + denied + "/verification", Map.of("verifiedBy", "x")).statusCode(409)
                .body("error.code", equalTo("invalid_transition"));

        // identity_unverified -> verified (vouched) -> cancelled
        String cancelled = submitted("acme", body("restriction", subject()));
        post("acme", "operator", "/v1/requests/" + cancelled + "/verification", Map.of("verifiedBy", "id-check"))
                .statusCode(200).body("status", equalTo("verified"));
        post("acme", "app", "/v1/requests/" + cancelled + "/cancellation", Map.of("reason", "withdrawn"))
                .statusCode(200).body("status", equalTo("cancelled"));
        post("acme", "app", "/v1/requests/" + cancelled + "/cancellation", null).statusCode(409);
        post("acme", "operator", "/v1/requests/" + cancelled + "/denial", Map.of("reason", "r")).statusCode(409);

        // verified -> denied
        String verifiedThenDenied = submitted("acme", verifiedBody("erasure", subject()));
        post("acme", "operator", "/v1/requests/" + verifiedThenDenied + "/denial",
                Map.of("reason", "a testimonial we keep")).statusCode(200).body("status", equalTo("denied"));

        assertThat(changes(cancelled, 3)).extracting(RightsRequestChanged::status)
                .containsExactly("identity_unverified", "verified", "cancelled");
        assertThat(changes(denied, 2)).extracting(RightsRequestChanged::status)
                .containsExactly("identity_unverified", "denied");
        assertThat(changes(denied, 2).get(1).reason()).isEqualTo("manifestly unfounded");
        // Only the operator denies and extends.
        post("acme", "app", "/v1/requests/" + verifiedThenDenied + "/denial", Map.of("reason", "r"))
                .statusCode(403);
    }

    @Test
    void shouldExtendOnceByCalendarMonthsBeforeTheOriginalDueDate() {
        clock().set(at("2025-01-31T10:00:00Z"));
        String id = submitted("acme", verifiedBody("access", subject()));
        String path = "/v1/requests/" + id + "/extension";
        post("acme", "operator", path, Map.of("months", 3, "reason", "complex")).statusCode(400)
                .body("error.details.field", hasItem("months"));
        post("acme", "operator", path, Map.of("months", 1)).statusCode(400)
                .body("error.details.field", hasItem("reason"));
        clock().set(at("2025-02-20T10:00:00Z"));
        post("acme", "operator", path, Map.of("months", 2, "reason", "many systems involved")).statusCode(200)
                .body("status", equalTo("verified"))
                .body("dueAt", equalTo("2025-02-28T10:00:00Z"))
                .body("extendedDueAt", equalTo("2025-04-28T10:00:00Z"))
                .body("extensionReason", equalTo("many systems involved"))
                .body("daysLeft", equalTo(67));
        post("acme", "operator", path, Map.of("months", 1, "reason", "more")).statusCode(409)
                .body("error.code", equalTo("already_extended"));
        clock().set(at("2025-03-15T10:00:00Z"));
        // Past the original due date but within the extension: not overdue.
        get("acme", id).body("overdue", equalTo(false)).body("daysLeft", equalTo(44));

        List<RightsRequestChanged> events = changes(id, 2);
        assertThat(events.get(1).status()).isEqualTo("extended");
        assertThat(events.get(1).previousStatus()).isEqualTo("verified");
        assertThat(events.get(1).dueAt()).isEqualTo(at("2025-04-28T10:00:00Z"));
        assertThat(events.get(1).reason()).isEqualTo("many systems involved");
        assertThat(events.get(1).contactEmail()).isNull();
        assertThat(notifications(id, 1)).anySatisfy(n -> {
            assertThat(n.kind()).isEqualTo(Notification.REQUEST_OUTCOME);
            assertThat(n.params()).containsEntry("outcome", "extended");
        });

        clock().set(at("2025-01-31T10:00:00Z"));
        String late = submitted("acme", verifiedBody("access", subject()));
        clock().set(at("2025-02-28T10:00:01Z"));
        get("acme", late).body("overdue", equalTo(true)).body("daysLeft", equalTo(0));
        post("acme", "operator", "/v1/requests/" + late + "/extension", Map.of("months", 1, "reason", "late"))
                .statusCode(409).body("error.code", equalTo("extension_too_late"));
    }

    @Test
    void shouldListNewestFirstWithCursorAndFilters() {
        String tenant = tenant();
        clock().set(at("2025-01-01T10:00:00Z"));
        String oldest = submitted(tenant, verifiedBody("erasure", subject()));
        clock().set(at("2025-02-01T10:00:00Z"));
        String middle = submitted(tenant, body("access", subject()));
        clock().set(at("2025-02-20T10:00:00Z"));
        String newest = submitted(tenant, verifiedBody("access", subject()));
        var operator = TestTokens.bearer(tenant, "operator");

        var first = given().header("Authorization", operator).queryParam("limit", 2).get("/v1/requests").then()
                .statusCode(200).body("items.requestId", equalTo(List.of(newest, middle))).extract();
        String cursor = first.path("nextCursor");
        given().header("Authorization", operator).queryParam("limit", 2).queryParam("cursor", cursor)
                .get("/v1/requests").then().statusCode(200).body("items.requestId", equalTo(List.of(oldest)))
                .body("nextCursor", nullValue());
        given().header("Authorization", operator).queryParam("type", "access").get("/v1/requests").then()
                .body("items.requestId", equalTo(List.of(newest, middle)));
        given().header("Authorization", operator).queryParam("status", "identity_unverified").get("/v1/requests")
                .then().body("items.requestId", equalTo(List.of(middle)));
        // Now 2025-02-20: the January request (due 31 Jan) is overdue.
        given().header("Authorization", operator).queryParam("overdue", "true").get("/v1/requests").then()
                .body("items.requestId", equalTo(List.of(oldest)));
        given().header("Authorization", operator).queryParam("dueBefore", "2025-03-02T00:00:00Z")
                .get("/v1/requests").then().body("items.requestId", equalTo(List.of(middle, oldest)));
        given().header("Authorization", operator).queryParam("status", "lost").queryParam("dueBefore", "soon")
                .get("/v1/requests").then().statusCode(400).body("error.details.field", hasItem("status"))
                .body("error.details.field", hasItem("dueBefore"));
        given().header("Authorization", operator).queryParam("cursor", "bogus!").get("/v1/requests").then()
                .statusCode(400);
        given().header("Authorization", operator).queryParam("limit", 500).get("/v1/requests").then()
                .statusCode(400);
        given().header("Authorization", TestTokens.bearer(tenant, "app")).get("/v1/requests").then().statusCode(403);
        // Another tenant's listing does not show them.
        given().header("Authorization", TestTokens.bearer(tenant() , "operator")).get("/v1/requests").then()
                .statusCode(200).body("items", org.hamcrest.Matchers.empty());
    }
}
