package io.privacyplatform.request.service;

import static io.privacyplatform.request.RequestFixtures.CODEC;
import static io.privacyplatform.request.RequestFixtures.WAIT;
import static io.privacyplatform.request.RequestFixtures.at;
import static io.privacyplatform.request.RequestFixtures.clock;
import static io.privacyplatform.request.RequestFixtures.get;
import static io.privacyplatform.request.RequestFixtures.post;
import static io.privacyplatform.request.RequestFixtures.publish;
import static io.privacyplatform.request.RequestFixtures.subject;
import static io.privacyplatform.request.RequestFixtures.submitted;
import static io.privacyplatform.request.RequestFixtures.verifiedBody;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.privacyplatform.events.SubjectPseudonym;
import io.privacyplatform.events.Topics;
import io.privacyplatform.events.payload.AckOutcome;
import io.privacyplatform.events.payload.CommandAck;
import io.privacyplatform.events.payload.RequestProgress;
import io.privacyplatform.events.payload.RequestProgress.SystemProgress;
import io.privacyplatform.testing.TestDatabase;
import io.privacyplatform.testing.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;

/**
 * The prune of request-service's own copies, driven with the movable clock: export copies go 7 days after the first
 * download, a closed request's identifiers 90 days after closing; what accountability needs stays.
 */
@QuarkusTest
class RequestDataRetentionTests {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    RequestDataRetention retention;

    @Inject
    SubjectPseudonym pseudonym;

    @Test
    void shouldDeleteExportCopiesSevenDaysAfterTheFirstDownload() {
        clock().set(at("2025-05-01T10:00:00Z"));
        String id = completedExport(pseudonym, "acme", subject());
        // Not downloaded yet: a week later nothing is pruned (the clock starts at delivery).
        clock().set(at("2025-05-10T10:00:00Z"));
        retention.prune();
        assertThat(parts(id)).isEqualTo(1);

        export(id).statusCode(200).body("systems.mail-log-store.mails[0].id", equalTo("mail-1842"));
        clock().set(at("2025-05-12T10:00:00Z"));
        export(id).statusCode(200);
        // Seven days after the FIRST download, not the second.
        clock().set(at("2025-05-17T09:59:59Z"));
        retention.prune();
        assertThat(parts(id)).isEqualTo(1);
        clock().set(at("2025-05-17T10:00:01Z"));
        retention.prune();
        assertThat(parts(id)).isZero();

        export(id).statusCode(410).body("error.code", equalTo("export_expired"));
        List<String> actions = actions(id);
        assertThat(actions).contains("export_deleted");
        verification(id).body("valid", equalTo(true));
    }

    @Test
    void shouldRemoveAClosedRequestsIdentifiersNinetyDaysAfterClosingAndKeepWhatAccountabilityNeeds() {
        clock().set(at("2025-06-01T08:00:00Z"));
        String subject = subject();
        Map<String, Object> body = verifiedBody("rectification", subject);
        body.put("rectification", Map.of("lastName", "Doe-Smith"));
        body.put("details", "my name changed");
        String closed = submitted("acme", body);
        post("acme", "operator", "/v1/requests/" + closed + "/denial", Map.of("reason", "no such account"))
                .statusCode(200);
        String open = submitted("acme", verifiedBody("erasure", subject));

        clock().set(at("2025-08-30T07:59:59Z"));
        retention.prune();
        assertThat(row(closed).get("subject_id")).isEqualTo(subject);

        clock().set(at("2025-08-30T08:00:01Z"));
        retention.prune();
        Map<String, Object> pruned = row(closed);
        assertThat(pruned.get("subject_id")).isNull();
        assertThat(pruned.get("contact_email")).isNull();
        assertThat(pruned.get("details")).isNull();
        assertThat(pruned.get("rectification")).isEqualTo("{}");
        assertThat(pruned.get("identifiers_removed_at")).isNotNull();
        // What accountability needs stays: type, dates, outcome, the audit chain (which names no address).
        assertThat(pruned.get("type")).isEqualTo("rectification");
        assertThat(pruned.get("status")).isEqualTo("denied");
        assertThat(pruned.get("outcome_reason")).isEqualTo("no such account");
        assertThat(pruned.get("received_at")).isNotNull();
        assertThat(actions(closed)).endsWith("identifiers_removed");
        verification(closed).body("valid", equalTo(true));
        get("acme", closed).statusCode(200).body("type", equalTo("rectification"))
                .body("outcome.status", equalTo("denied"));
        assertThat(TestDatabase.count("SELECT count(*) FROM request_audit WHERE request_id = ? AND detail LIKE ?",
                UUID.fromString(closed), "%example.com%")).isZero();

        // An open request keeps what it needs to finish, however old.
        Map<String, Object> stillOpen = row(open);
        assertThat(stillOpen.get("subject_id")).isEqualTo(subject);
        assertThat(stillOpen.get("contact_email")).isEqualTo("jane.doe@example.com");
    }

    /** An access request answered by mail-log-store and completed, the way retention-service reports it. */
    static String completedExport(SubjectPseudonym pseudonym, String tenant, String subject) {
        String id = submitted(tenant, verifiedBody("access", subject));
        String key = pseudonym.of(tenant, subject);
        String commandId = UUID.randomUUID().toString();
        Instant now = clock().instant();
        publish(Topics.REQUEST_PROGRESS, CODEC.envelope("/services/retention-service", tenant, key,
                new RequestProgress(id, tenant, RequestProgress.IN_PROGRESS, List.of(new SystemProgress(
                        "mail-log-store", commandId, "EXPORT", "sent", null, 0, null, null, 1, now)), now)));
        await().atMost(WAIT).untilAsserted(() -> get(tenant, id).body("status", equalTo("in_progress")));
        JsonNode data = read("{\"mails\":[{\"id\":\"mail-1842\",\"template\":\"welcome\"}]}");
        publish(Topics.COMMAND_ACK, CODEC.envelope("/stores/mail-log-store", tenant, key, new CommandAck(commandId,
                "mail-log-store", tenant, id, AckOutcome.DONE, 1, null, null, data, now)));
        await().atMost(WAIT).until(() -> parts(id) == 1);
        Instant done = now.plusSeconds(1);
        publish(Topics.REQUEST_PROGRESS, CODEC.envelope("/services/retention-service", tenant, key,
                new RequestProgress(id, tenant, RequestProgress.COMPLETED, List.of(new SystemProgress(
                        "mail-log-store", commandId, "EXPORT", "done", AckOutcome.DONE, 1, null, null, 1, done)),
                        done)));
        await().atMost(WAIT).untilAsserted(() -> get(tenant, id).body("status", equalTo("completed")));
        return id;
    }

    static long parts(String requestId) {
        return TestDatabase.count("SELECT count(*) FROM export_part WHERE request_id = ?", UUID.fromString(requestId));
    }

    static Map<String, Object> row(String requestId) {
        return TestDatabase.rows("SELECT * FROM rights_request WHERE id = ?", UUID.fromString(requestId)).get(0);
    }

    static List<String> actions(String requestId) {
        return TestDatabase.rows("SELECT action FROM request_audit WHERE request_id = ? ORDER BY seq",
                UUID.fromString(requestId)).stream().map(r -> (String) r.get("action")).toList();
    }

    static ValidatableResponse verification(String requestId) {
        return given().header("Authorization", TestTokens.bearer("acme", "operator"))
                .get("/v1/requests/" + requestId + "/audit/verification").then().statusCode(200);
    }

    private static ValidatableResponse export(String id) {
        return given().header("Authorization", TestTokens.bearer("acme", "app"))
                .get("/v1/requests/" + id + "/export").then();
    }

    private static JsonNode read(String json) {
        try {
            return JSON.readTree(json);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
