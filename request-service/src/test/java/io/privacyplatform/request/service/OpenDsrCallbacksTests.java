package io.privacyplatform.request.service;

import static io.privacyplatform.request.OpenDsrFixtures.example;
import static io.privacyplatform.request.OpenDsrFixtures.exampleRequest;
import static io.privacyplatform.request.OpenDsrFixtures.fieldNames;
import static io.privacyplatform.request.OpenDsrFixtures.post;
import static io.privacyplatform.request.OpenDsrFixtures.verifies;
import static io.privacyplatform.request.RequestFixtures.WAIT;
import static io.privacyplatform.request.RequestFixtures.at;
import static io.privacyplatform.request.RequestFixtures.clock;
import static io.privacyplatform.request.RequestFixtures.progress;
import static io.privacyplatform.request.RequestFixtures.publish;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.privacyplatform.events.SubjectPseudonym;
import io.privacyplatform.events.Topics;
import io.privacyplatform.events.payload.AckOutcome;
import io.privacyplatform.events.payload.RequestProgress.SystemProgress;
import io.privacyplatform.request.OpenDsrFixtures.CallbackEndpoint;
import io.privacyplatform.request.OpenDsrFixtures.Received;
import io.privacyplatform.testing.TestDatabase;
import io.privacyplatform.testing.TestTokens;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Status callbacks from the durable outbox, sent by its timer (every second in tests) to a controller's endpoint in
 * the test: signed so that they verify against the certificate the discovery document points to, retried after a
 * failure once the test clock has passed the backoff, in the order of the statuses.
 */
@QuarkusTest
class OpenDsrCallbacksTests {

    @Inject
    SubjectPseudonym pseudonym;

    @Test
    void shouldDeliverSignedCallbacksAndRetryTheOneThatFailed() throws Exception {
        try (CallbackEndpoint endpoint = new CallbackEndpoint(1)) {
            clock().set(at("2026-05-04T08:00:00Z"));
            String id = submitted(endpoint);
            UUID requestId = (UUID) TestDatabase.rows("SELECT request_id FROM opendsr_request WHERE "
                    + "subject_request_id = ?", UUID.fromString(id)).get(0).get("request_id");
            String key = pseudonym.of("acme", "johndoe@example.com");

            // retention-service starts on it: in_progress, a callback is owed; its first delivery fails (500).
            publish(Topics.REQUEST_PROGRESS, progress("acme", key, requestId.toString(), "in_progress",
                    at("2026-05-04T08:00:00Z"), system("mail-log-store", "sent", null)));
            await().atMost(WAIT).until(() -> endpoint.received().size() == 1);
            await().atMost(WAIT).until(() -> callbacks(id).get(0).get("attempts").equals(1));
            Map<String, Object> failed = callbacks(id).get(0);
            assertThat(failed).containsEntry("state", "pending").containsEntry("last_error", "HTTP 500");
            // Tried again after the first backoff (30 s), not before.
            assertThat(TestDatabase.count("SELECT count(*) FROM opendsr_callback WHERE id = ? AND next_attempt_at = "
                    + "'2026-05-04T08:00:30Z'::timestamptz", failed.get("id"))).isEqualTo(1);
            await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5))
                    .until(() -> endpoint.received().size() == 1);

            clock().advance(Duration.ofSeconds(31));
            await().atMost(WAIT).until(() -> "delivered".equals(callbacks(id).get(0).get("state")));
            assertThat(callbacks(id).get(0)).containsEntry("attempts", 2);
            List<Received> received = endpoint.received();
            assertThat(received).hasSize(2);
            // The retry sends the same bytes; each verifies, unparsed, against the published certificate (8.8).
            assertThat(received.get(1).body()).isEqualTo(received.get(0).body());
            for (Received callback : received) {
                assertThat(verifies(callback.body(), callback.signature())).isTrue();
                assertThat(callback.domain()).isEqualTo("localhost");
            }
            JsonNode body = received.get(1).json();
            assertThat(fieldNames(example("callback"))).containsAll(fieldNames(body));
            assertThat(body.path("request_status").asText()).isEqualTo("in_progress");
            assertThat(body.path("status_callback_url").asText()).isEqualTo(endpoint.url());
            assertThat(body.path("subject_request_id").asText()).isEqualTo(id);
            assertThat(body.path("controller_id").asText()).isEqualTo("acme");
            assertThat(body.path("expected_completion_time").asText()).isEqualTo("2026-06-03T08:00:00Z");

            // Every store is done: the erasure is completed, and only now is the callback "completed".
            publish(Topics.REQUEST_PROGRESS, progress("acme", key, requestId.toString(), "completed",
                    at("2026-05-04T08:01:00Z"), system("mail-log-store", "done", AckOutcome.DONE)));
            await().atMost(WAIT).until(() -> endpoint.received().size() == 3);
            Received completed = endpoint.received().get(2);
            assertThat(verifies(completed.body(), completed.signature())).isTrue();
            assertThat(completed.json().path("request_status").asText()).isEqualTo("completed");
            assertThat(TestDatabase.rows("SELECT status FROM rights_request WHERE id = ?", requestId).get(0))
                    .containsEntry("status", "completed");
            await().atMost(WAIT)
                    .until(() -> callbacks(id).stream().allMatch(c -> "delivered".equals(c.get("state"))));
        }
    }

    @Test
    void shouldSignTheCancelledCallbackSoThatATamperedCopyFailsVerification() throws Exception {
        try (CallbackEndpoint endpoint = new CallbackEndpoint(0)) {
            clock().set(at("2026-05-05T08:00:00Z"));
            String id = submitted(endpoint);
            // The controller cancels: the callback says so.
            assertThat(given().header("Authorization", TestTokens.bearer("acme", "app"))
                    .delete("/opendsr/v1/requests/" + id).statusCode()).isEqualTo(202);
            await().atMost(WAIT).until(() -> endpoint.received().size() == 1);
            Received callback = endpoint.received().get(0);
            assertThat(callback.json().path("request_status").asText()).isEqualTo("cancelled");
            assertThat(verifies(callback.body(), callback.signature())).isTrue();
            byte[] tampered = new String(callback.body(), StandardCharsets.UTF_8).replace("cancelled", "completed")
                    .getBytes(StandardCharsets.UTF_8);
            assertThat(verifies(tampered, callback.signature())).isFalse();
        }
    }

    /** The specification's example erasure, with the test's endpoint for callbacks; answers its id. */
    private static String submitted(CallbackEndpoint endpoint) {
        ObjectNode request = exampleRequest("erasure", endpoint.url());
        assertThat(post("/opendsr/v1/requests", "acme", request).statusCode()).isEqualTo(201);
        return request.path("subject_request_id").asText();
    }

    private static SystemProgress system(String name, String state, AckOutcome outcome) {
        return new SystemProgress(name, UUID.randomUUID().toString(), "ERASE", state, outcome,
                outcome == null ? 0 : 4, null, null, 1, Instant.parse("2026-05-04T08:00:00Z"));
    }

    private static List<Map<String, Object>> callbacks(String subjectRequestId) {
        return TestDatabase.rows("SELECT c.* FROM opendsr_callback c JOIN opendsr_request o ON o.id = "
                + "c.opendsr_request_id WHERE o.subject_request_id = ? ORDER BY c.seq",
                UUID.fromString(subjectRequestId));
    }
}
