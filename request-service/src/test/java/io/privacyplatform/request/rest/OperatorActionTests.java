package io.privacyplatform.request.rest;

import static io.privacyplatform.request.RequestFixtures.CODEC;
import static io.privacyplatform.request.RequestFixtures.WAIT;
import static io.privacyplatform.request.RequestFixtures.at;
import static io.privacyplatform.request.RequestFixtures.body;
import static io.privacyplatform.request.RequestFixtures.changes;
import static io.privacyplatform.request.RequestFixtures.clock;
import static io.privacyplatform.request.RequestFixtures.get;
import static io.privacyplatform.request.RequestFixtures.notifications;
import static io.privacyplatform.request.RequestFixtures.post;
import static io.privacyplatform.request.RequestFixtures.publish;
import static io.privacyplatform.request.RequestFixtures.subject;
import static io.privacyplatform.request.RequestFixtures.submitted;
import static io.privacyplatform.request.RequestFixtures.verifiedBody;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.privacyplatform.events.EventEnvelope;
import io.privacyplatform.events.SubjectPseudonym;
import io.privacyplatform.events.Topics;
import io.privacyplatform.events.payload.Notification;
import io.privacyplatform.events.payload.RequestProgress;
import io.privacyplatform.events.payload.RequestProgress.SystemProgress;
import io.privacyplatform.events.payload.RightsRequestChanged;
import io.privacyplatform.testing.TestDatabase;
import io.privacyplatform.testing.TestTokens;
import io.quarkus.test.junit.QuarkusTest;

/** Requests that wait for an operator: resolution, missing identifiers, lifting a restriction. */
@QuarkusTest
class OperatorActionTests {

    @Inject
    SubjectPseudonym pseudonym;

    @Test
    void shouldWaitForAnOperatorWhenNoStoreCanApplyARectificationAndCompleteOnlyWithTheirResolution() {
        clock().set(at("2025-05-01T10:00:00Z"));
        String subject = subject();
        Map<String, Object> request = verifiedBody("rectification", subject);
        request.put("rectification", Map.of("shoeSize", "44"));
        String id = submitted("acme", request);

        publish(Topics.REQUEST_PROGRESS, progress(subject, RequestProgress.actionRequired(id, "acme", List.of(),
                at("2025-05-01T10:00:05Z"), RequestProgress.NO_SYSTEM)));
        await().atMost(WAIT).untilAsserted(() -> get("acme", id).body("status", equalTo("action_required"))
                .body("actionRequired.reason", equalTo(RequestProgress.NO_SYSTEM)).body("outcome", nullValue())
                .body("daysLeft", notNullValue()));
        assertThat(changes(id, 2)).extracting(RightsRequestChanged::status).containsExactly("verified",
                "action_required");

        // Outcome and reason are required and bounded; only an operator resolves.
        post("acme", "operator", "/v1/requests/" + id + "/resolution", Map.of("outcome", "nothing to rectify"))
                .statusCode(400).body("error.details.field", hasItem("reason"));
        post("acme", "operator", "/v1/requests/" + id + "/resolution", Map.of("outcome", "x".repeat(201),
                "reason", "r")).statusCode(400).body("error.details.field", hasItem("outcome"));
        post("acme", "app", "/v1/requests/" + id + "/resolution", Map.of("outcome", "o", "reason", "r"))
                .statusCode(403);

        clock().set(at("2025-05-02T10:00:00Z"));
        post("acme", "operator", "/v1/requests/" + id + "/resolution", Map.of("outcome", "no data to rectify",
                "reason", "we hold no shoe size for anyone")).statusCode(200)
                .body("status", equalTo("completed")).body("outcome.resolution", equalTo("no data to rectify"))
                .body("outcome.reason", equalTo("we hold no shoe size for anyone"))
                .body("actionRequired", nullValue());
        post("acme", "operator", "/v1/requests/" + id + "/resolution", Map.of("outcome", "again", "reason", "r"))
                .statusCode(409).body("error.code", equalTo("not_action_required"));

        List<RightsRequestChanged> events = changes(id, 3);
        assertThat(events).extracting(RightsRequestChanged::status).containsExactly("verified", "action_required",
                "completed");
        assertThat(events.get(2).reason()).isEqualTo("we hold no shoe size for anyone");
        assertThat(TestDatabase.rows("SELECT actor, detail FROM request_audit WHERE request_id = ? AND action = "
                + "'resolved'", UUID.fromString(id))).singleElement().satisfies(row -> {
                    assertThat(row.get("actor")).asString().contains("operator");
                    assertThat(row.get("detail")).asString().contains("no data to rectify")
                            .contains("we hold no shoe size");
                });
        given().header("Authorization", TestTokens.bearer("acme", "operator"))
                .get("/v1/requests/" + id + "/audit/verification").then().body("valid", equalTo(true));
        Notification outcome = notifications(id, 1).stream()
                .filter(n -> n.kind().equals(Notification.REQUEST_OUTCOME)).findFirst().orElseThrow();
        assertThat(outcome.params()).containsEntry("outcome", "completed")
                .containsEntry("resolution", "no data to rectify")
                .containsEntry("reason", "we hold no shoe size for anyone");
    }

    @Test
    void shouldNotCompleteAnAutomatedDecisionReviewWithoutAnOperator() {
        clock().set(at("2025-05-01T10:00:00Z"));
        String subject = subject();
        String id = submitted("acme", body("automated_decision_review", subject));
        post("acme", "operator", "/v1/requests/" + id + "/verification", Map.of("verifiedBy", "id-check"))
                .statusCode(200).body("status", equalTo("action_required"))
                .body("actionRequired.reason", org.hamcrest.Matchers.containsString("review"));

        // Whatever the stores report, a person's review is what closes it.
        publish(Topics.REQUEST_PROGRESS, progress(subject, RequestProgress.of(id, "acme", "completed", List.of(),
                at("2025-05-01T10:00:05Z"))));
        await().atMost(WAIT).until(() -> TestDatabase.count("SELECT count(*) FROM rights_request WHERE id = ? AND "
                + "progress_state = 'completed'", UUID.fromString(id)) == 1);
        get("acme", id).body("status", equalTo("action_required"));
        assertThat(changes(id, 3)).extracting(RightsRequestChanged::status).containsExactly("identity_unverified",
                "verified", "action_required");

        post("acme", "operator", "/v1/requests/" + id + "/resolution", Map.of("outcome", "decision changed",
                "reason", "a person reviewed the scoring and granted the loan")).statusCode(200)
                .body("status", equalTo("completed"));
    }

    @Test
    void shouldRefuseAResolutionOfARequestThatDoesNotWaitForAnOperator() {
        String id = submitted("acme", verifiedBody("erasure", subject()));
        post("acme", "operator", "/v1/requests/" + id + "/resolution", Map.of("outcome", "done", "reason", "r"))
                .statusCode(409).body("error.code", equalTo("not_action_required"));
        get("acme", id).body("status", equalTo("verified"));
    }

    @Test
    void shouldNameMissingIdentifiersAndLetAnOperatorAddTheAddressWithoutAuditingIt() {
        clock().set(at("2025-05-01T10:00:00Z"));
        String subject = subject();
        Map<String, Object> request = verifiedBody("erasure", subject);
        request.remove("contactEmail");
        String id = submitted("acme", request);
        post("acme", "operator", "/v1/requests/" + id + "/identifiers", Map.of("email", "late@example.com"))
                .statusCode(409).body("error.code", equalTo("identifiers_not_needed"));

        SystemProgress waiting = new SystemProgress("mail-log-store", null, "ERASE",
                SystemProgress.ACTION_REQUIRED, null, 0, null, null, 0, at("2025-05-01T10:00:05Z"),
                List.of("email"));
        SystemProgress sent = new SystemProgress("consent-service", UUID.randomUUID().toString(), "ERASE", "sent",
                null, 0, null, null, 1, at("2025-05-01T10:00:05Z"));
        publish(Topics.REQUEST_PROGRESS, progress(subject, RequestProgress.actionRequired(id, "acme",
                List.of(waiting, sent), at("2025-05-01T10:00:05Z"), "mail-log-store needs email")));
        await().atMost(WAIT).untilAsserted(() -> get("acme", id).body("status", equalTo("action_required"))
                .body("actionRequired.reason", equalTo("mail-log-store needs email"))
                .body("actionRequired.missingIdentifiers", equalTo(List.of("email")))
                .body("progress.missingIdentifiers", equalTo(List.of("email"))));

        post("acme", "operator", "/v1/requests/" + id + "/identifiers", Map.of("email", "not-an-address"))
                .statusCode(400).body("error.details.field", hasItem("email"));
        post("acme", "operator", "/v1/requests/" + id + "/identifiers", Map.of("phone", "+4917"))
                .statusCode(400);
        post("acme", "app", "/v1/requests/" + id + "/identifiers", Map.of("email", "late@example.com"))
                .statusCode(403);
        post("acme", "operator", "/v1/requests/" + id + "/identifiers", Map.of("email", "late@example.com"))
                .statusCode(200).body("status", equalTo("action_required"));

        List<RightsRequestChanged> events = changes(id, 3);
        assertThat(events).extracting(RightsRequestChanged::status).containsExactly("verified", "action_required",
                "identifiers_added");
        assertThat(events.get(2).contactEmail()).isEqualTo("late@example.com");
        assertThat(events.get(2).previousStatus()).isEqualTo("action_required");
        assertThat(TestDatabase.count("SELECT count(*) FROM rights_request WHERE id = ? AND contact_email = "
                + "'late@example.com'", UUID.fromString(id))).isEqualTo(1);
        assertThat(TestDatabase.count("SELECT count(*) FROM request_audit WHERE request_id = ? AND action = "
                + "'identifiers_added' AND detail LIKE '%email%'", UUID.fromString(id))).isEqualTo(1);
        assertThat(TestDatabase.count("SELECT count(*) FROM request_audit WHERE request_id = ? AND detail LIKE "
                + "'%late@example.com%'", UUID.fromString(id))).isZero();

        // retention-service searched the store with the address: the request is in progress again.
        SystemProgress searched = new SystemProgress("mail-log-store", UUID.randomUUID().toString(), "ERASE",
                "sent", null, 0, null, null, 1, at("2025-05-01T11:00:00Z"));
        publish(Topics.REQUEST_PROGRESS, progress(subject, RequestProgress.of(id, "acme", "in_progress",
                List.of(searched, sent), at("2025-05-01T11:00:00Z"))));
        await().atMost(WAIT).untilAsserted(() -> get("acme", id).body("status", equalTo("in_progress"))
                .body("actionRequired", nullValue()).body("progress.missingIdentifiers", equalTo(List.of())));
        assertThat(changes(id, 4).get(3).status()).isEqualTo("in_progress");
    }

    @Test
    void shouldLiftAVerifiedRestrictionOnceAndTellTheStoresAndTheRequester() {
        clock().set(at("2025-05-01T10:00:00Z"));
        String id = submitted("acme", verifiedBody("restriction", subject()));
        post("acme", "operator", "/v1/requests/" + id + "/restriction-lift", Map.of()).statusCode(400)
                .body("error.details.field", hasItem("reason"));
        post("acme", "app", "/v1/requests/" + id + "/restriction-lift", Map.of("reason", "r")).statusCode(403);

        clock().set(at("2025-05-03T10:00:00Z"));
        post("acme", "operator", "/v1/requests/" + id + "/restriction-lift",
                Map.of("reason", "the accuracy of the data was verified")).statusCode(200)
                .body("status", equalTo("verified")).body("restrictionLiftedAt", equalTo("2025-05-03T10:00:00Z"));
        post("acme", "operator", "/v1/requests/" + id + "/restriction-lift", Map.of("reason", "again"))
                .statusCode(409).body("error.code", equalTo("already_lifted"));

        List<RightsRequestChanged> events = changes(id, 2);
        assertThat(events).hasSize(2);
        assertThat(events.get(1).status()).isEqualTo(RightsRequestChanged.RESTRICTION_LIFTED);
        assertThat(events.get(1).previousStatus()).isEqualTo("verified");
        assertThat(events.get(1).reason()).isEqualTo("the accuracy of the data was verified");
        assertThat(TestDatabase.count("SELECT count(*) FROM request_audit WHERE request_id = ? AND action = "
                + "'restriction_lifted'", UUID.fromString(id))).isEqualTo(1);
        assertThat(notifications(id, 1)).anySatisfy(n -> assertThat(n.params())
                .containsEntry("outcome", "restriction_lifted")
                .containsEntry("reason", "the accuracy of the data was verified"));

        // Only a verified restriction request has a restriction to lift.
        String erasure = submitted("acme", verifiedBody("erasure", subject()));
        post("acme", "operator", "/v1/requests/" + erasure + "/restriction-lift", Map.of("reason", "r"))
                .statusCode(409).body("error.code", equalTo("not_a_restriction"));
        String unverified = submitted("acme", body("restriction", subject()));
        post("acme", "operator", "/v1/requests/" + unverified + "/restriction-lift", Map.of("reason", "r"))
                .statusCode(409).body("error.code", equalTo("not_a_restriction"));
        assertThat(changes(erasure, 1)).extracting(RightsRequestChanged::status).containsExactly("verified");
    }

    private EventEnvelope progress(String subject, RequestProgress progress) {
        return CODEC.envelope("/services/retention-service", "acme", pseudonym.of("acme", subject), progress);
    }
}
