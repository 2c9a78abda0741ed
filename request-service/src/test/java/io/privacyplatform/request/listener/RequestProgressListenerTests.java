package io.privacyplatform.request.listener;

import static io.privacyplatform.request.RequestFixtures.WAIT;
import static io.privacyplatform.request.RequestFixtures.at;
import static io.privacyplatform.request.RequestFixtures.changes;
import static io.privacyplatform.request.RequestFixtures.changeRecords;
import static io.privacyplatform.request.RequestFixtures.clock;
import static io.privacyplatform.request.RequestFixtures.get;
import static io.privacyplatform.request.RequestFixtures.post;
import static io.privacyplatform.request.RequestFixtures.progress;
import static io.privacyplatform.request.RequestFixtures.publish;
import static io.privacyplatform.request.RequestFixtures.subject;
import static io.privacyplatform.request.RequestFixtures.submitted;
import static io.privacyplatform.request.RequestFixtures.verifiedBody;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.privacyplatform.events.EventEnvelope;
import io.privacyplatform.events.SubjectPseudonym;
import io.privacyplatform.events.Topics;
import io.privacyplatform.events.payload.AckOutcome;
import io.privacyplatform.events.payload.RequestProgress.SystemProgress;
import io.privacyplatform.events.payload.RightsRequestChanged;
import io.privacyplatform.testing.ManagementInterface;
import io.privacyplatform.testing.TestDatabase;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class RequestProgressListenerTests {

    @Inject
    SubjectPseudonym pseudonym;

    static SystemProgress system(String name, String state) {
        return new SystemProgress(name, UUID.randomUUID().toString(), "ERASE", state,
                "done".equals(state) ? AckOutcome.DONE : null, "done".equals(state) ? 2 : 0, null, null, 1,
                Instant.parse("2025-05-02T10:00:00Z"));
    }

    @Test
    void shouldCompleteOnceWhenAllSystemsAreDoneEvenIfDeliveredTwice() {
        clock().set(at("2025-05-01T10:00:00Z"));
        String subject = subject();
        String id = submitted("acme", verifiedBody("erasure", subject));
        String key = pseudonym.of("acme", subject);

        publish(Topics.REQUEST_PROGRESS, progress("acme", key, id, "in_progress", at("2025-05-02T10:00:00Z"),
                system("mail-log-store", "sent"), system("consent-service", "done")));
        await().atMost(WAIT).untilAsserted(() -> get("acme", id).body("status", equalTo("in_progress"))
                .body("progress.systems.size()", equalTo(2)));

        clock().set(at("2025-05-03T10:00:00Z"));
        EventEnvelope done = progress("acme", key, id, "completed", at("2025-05-03T10:00:00Z"),
                system("mail-log-store", "done"), system("consent-service", "done"));
        // The same event twice (a redelivery), a second report of completion, then a marker we can wait for.
        EventEnvelope doneAgain = progress("acme", key, id, "completed", at("2025-05-03T10:00:01Z"),
                system("mail-log-store", "done"), system("consent-service", "done"));
        EventEnvelope marker = progress("acme", key, id, "completed", at("2025-05-03T10:00:02Z"),
                system("mail-log-store", "done"), system("consent-service", "done"));
        publish(Topics.REQUEST_PROGRESS, done, done, doneAgain, marker);
        await().atMost(WAIT).until(() -> TestDatabase.count("SELECT count(*) FROM rights_request WHERE id = ? "
                + "AND progress_at = '2025-05-03T10:00:02Z'::timestamptz", UUID.fromString(id)) == 1);

        get("acme", id).body("status", equalTo("completed")).body("outcome.status", equalTo("completed"))
                .body("progress.state", equalTo("completed"));
        List<RightsRequestChanged> events = changes(id, 3);
        assertThat(events).extracting(RightsRequestChanged::status).containsExactly("verified", "in_progress",
                "completed");
        assertThat(changeRecords(id)).hasSize(3);
        assertThat(TestDatabase.count("SELECT count(*) FROM request_audit WHERE request_id = ? AND action = "
                + "'completed'", UUID.fromString(id))).isEqualTo(1);
        assertThat(TestDatabase.count("SELECT count(*) FROM inbox_event WHERE event_id = ?", done.id()))
                .isEqualTo(1);
        // Closed: nothing else may happen to it.
        post("acme", "operator", "/v1/requests/" + id + "/cancellation", null).statusCode(409)
                .body("error.code", equalTo("invalid_transition"));
        ManagementInterface.given().get("/q/metrics").then().body(containsString(
                "privacy_requests_time_to_complete_seconds_count{type=\"erasure\""));
    }

    @Test
    void shouldNameStuckSystemsAndFailWhenRetentionServiceGivesUp() {
        clock().set(at("2025-05-01T10:00:00Z"));
        String subject = subject();
        String id = submitted("acme", verifiedBody("restriction", subject));
        String key = pseudonym.of("acme", subject);
        publish(Topics.REQUEST_PROGRESS, progress("acme", key, id, "stuck", at("2025-05-02T10:00:00Z"),
                system("mail-log-store", "done"), system("crm", "stuck")));
        await().atMost(WAIT).untilAsserted(() -> get("acme", id).body("status", equalTo("in_progress"))
                .body("progress.state", equalTo("stuck")).body("progress.stuckSystems", equalTo(List.of("crm"))));

        publish(Topics.REQUEST_PROGRESS, progress("acme", key, id, "failed", at("2025-05-09T10:00:00Z"),
                system("mail-log-store", "done"), system("crm", "stuck")));
        await().atMost(WAIT).untilAsserted(() -> get("acme", id).body("status", equalTo("failed")));
        assertThat(changes(id, 3)).extracting(RightsRequestChanged::status).containsExactly("verified",
                "in_progress", "failed");
    }

    @Test
    void shouldIgnoreProgressOfAnotherTenantsRequest() {
        String subject = subject();
        String id = submitted("acme", verifiedBody("erasure", subject));
        EventEnvelope foreign = progress("globex", pseudonym.of("globex", subject), id, "completed",
                at("2025-05-02T10:00:00Z"), system("mail-log-store", "done"));
        publish(Topics.REQUEST_PROGRESS, foreign);
        await().atMost(WAIT).until(() -> TestDatabase.count("SELECT count(*) FROM inbox_event WHERE event_id = ?",
                foreign.id()) == 1);
        get("acme", id).body("status", equalTo("verified")).body("progress", org.hamcrest.Matchers.nullValue());
    }

    @Test
    void shouldSendAnUnreadableReportToTheDeadLetterTopicAndCarryOn() {
        String subject = subject();
        String id = submitted("acme", verifiedBody("erasure", subject));
        String key = pseudonym.of("acme", subject);
        EventEnvelope valid = progress("acme", key, id, "in_progress", at("2025-05-02T10:00:00Z"),
                system("mail-log-store", "sent"));
        EventEnvelope withoutState = new EventEnvelope(UUID.randomUUID().toString(), valid.source(), valid.type(),
                valid.time(), valid.subject(), valid.tenantId(), key, ("{\"requestId\":\"" + id
                        + "\",\"tenantId\":\"acme\",\"occurredAt\":\"2025-05-02T09:00:00Z\"}")
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8));
        publish(Topics.REQUEST_PROGRESS, withoutState, valid);
        await().atMost(WAIT).untilAsserted(() -> get("acme", id).body("status", equalTo("in_progress")));
        await().atMost(WAIT).until(() -> io.privacyplatform.testing.PlatformTestResource.kafka()
                .readAll(Topics.deadLetterOf(Topics.REQUEST_PROGRESS)).stream()
                .anyMatch(r -> key.equals(r.key())));
    }
}
