package io.privacyplatform.request.service;

import static io.privacyplatform.request.RequestFixtures.at;
import static io.privacyplatform.request.RequestFixtures.clock;
import static io.privacyplatform.request.RequestFixtures.notifications;
import static io.privacyplatform.request.RequestFixtures.subject;
import static io.privacyplatform.request.RequestFixtures.submitted;
import static io.privacyplatform.request.RequestFixtures.verifiedBody;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.privacyplatform.events.EventEnvelope;
import io.privacyplatform.events.SubjectPseudonym;
import io.privacyplatform.events.Topics;
import io.privacyplatform.events.payload.Notification;
import io.privacyplatform.events.payload.RequestProgress;
import io.privacyplatform.events.payload.RequestProgress.SystemProgress;
import io.privacyplatform.request.RequestFixtures;
import io.privacyplatform.testing.ManagementInterface;
import io.privacyplatform.testing.PlatformTestResource;
import io.privacyplatform.testing.TestDatabase;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class SlaWatchTests {

    @Inject
    SlaWatch watch;

    @Inject
    SubjectPseudonym pseudonym;

    @Test
    void shouldAlertOnceAtSevenDaysLeftAndOnceWhenOverdue() {
        clock().set(at("2025-06-01T12:00:00Z"));
        String subject = subject();
        String id = submitted("acme", verifiedBody("erasure", subject));
        String denied = submitted("acme", verifiedBody("erasure", subject()));
        RequestFixtures.post("acme", "operator", "/v1/requests/" + denied + "/denial", Map.of("reason", "unfounded"))
                .statusCode(200);
        // Due 2025-07-01T12:00Z. Eleven days left: nothing.
        clock().set(at("2025-06-20T12:00:00Z"));
        watch.check();
        assertThat(alerts(id)).isEmpty();

        clock().set(at("2025-06-24T12:00:00Z"));
        watch.check();
        watch.check();
        List<Notification> dueSoon = notifications(id, 1).stream()
                .filter(n -> Notification.SLA_ALERT.equals(n.kind())).toList();
        assertThat(dueSoon).hasSize(1);
        assertThat(dueSoon.get(0).params()).containsEntry("level", "due_soon").containsEntry("daysLeft", "7");
        assertThat(dueSoon.get(0).recipient()).isNull();

        // A store does not answer: the request stays in progress, and the clock runs on.
        RequestFixtures.publish(Topics.REQUEST_PROGRESS, RequestFixtures.CODEC.envelope(
                "/services/retention-service", "acme", pseudonym.of("acme", subject),
                new RequestProgress(id, "acme", "stuck", List.of(new SystemProgress("crm", null, "ERASE", "stuck",
                        null, 0, null, "no answer", 5, at("2025-06-25T12:00:00Z"))), at("2025-06-25T12:00:00Z"))));
        org.awaitility.Awaitility.await().atMost(RequestFixtures.WAIT).untilAsserted(() -> RequestFixtures
                .get("acme", id).body("status", org.hamcrest.Matchers.equalTo("in_progress"))
                .body("progress.stuckSystems", org.hamcrest.Matchers.equalTo(List.of("crm"))));
        clock().set(at("2025-07-01T12:00:01Z"));
        watch.check();
        watch.check();
        clock().set(at("2025-07-03T12:00:00Z"));
        watch.check();
        List<Notification> alerts = alerts(id);
        assertThat(alerts).extracting(n -> n.params().get("level")).containsExactly("due_soon", "overdue");
        assertThat(alerts.get(1).params()).containsEntry("status", "in_progress").containsEntry("daysLeft", "0");
        // A closed request is past its due date too, but nobody needs reminding.
        assertThat(alerts(denied)).isEmpty();
        assertThat(TestDatabase.count("SELECT count(*) FROM rights_request WHERE id = ? AND alert_due_soon_at IS NOT "
                + "NULL AND alert_overdue_at IS NOT NULL", UUID.fromString(id))).isEqualTo(1);
        assertThat(TestDatabase.count("SELECT count(*) FROM request_audit WHERE request_id = ? AND action = "
                + "'sla_alert'", UUID.fromString(id))).isEqualTo(2);

        // The gauges count every request in this module's shared database: what this test can assert exactly is
        // the difference its own request makes. Closing it, at the same instant, takes it out of both gauges.
        String metrics = ManagementInterface.given().get("/q/metrics").then().statusCode(200).extract().asString();
        double overdueWithIt = gauge(metrics, "privacy_requests_overdue");
        double inProgressWithIt = gauge(metrics, "privacy_requests_open", "status=\"in_progress\"",
                "type=\"erasure\"");
        assertThat(metrics).contains("privacy_requests_due_soon");
        RequestFixtures.post("acme", "operator", "/v1/requests/" + id + "/denial", Map.of("reason", "unfounded"))
                .statusCode(200);
        watch.check();
        metrics = ManagementInterface.given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertThat(gauge(metrics, "privacy_requests_overdue")).isEqualTo(overdueWithIt - 1);
        assertThat(gauge(metrics, "privacy_requests_open", "status=\"in_progress\"", "type=\"erasure\""))
                .isEqualTo(inProgressWithIt - 1);
    }

    private static List<Notification> alerts(String id) {
        // The relay publishes right after commit; a read to the end after that sees every alert written so far.
        org.awaitility.Awaitility.await().atMost(RequestFixtures.WAIT).until(() -> TestDatabase.count(
                "SELECT count(*) FROM outbox_event WHERE sent_at IS NULL") == 0);
        return PlatformTestResource.kafka().readAll(Topics.NOTIFICATION).stream()
                .map(r -> RequestFixtures.CODEC.decode(EventEnvelope.fromRecord(r), Notification.class))
                .filter(n -> id.equals(n.requestId()) && Notification.SLA_ALERT.equals(n.kind())).toList();
    }

    /** The value of the first series of {@code name} whose labels contain every one of {@code labels}. */
    private static double gauge(String metrics, String name, String... labels) {
        Matcher matcher = Pattern.compile("(?m)^" + name + "(\\{[^}]*\\})? ([0-9.eE+-]+)$").matcher(metrics);
        while (matcher.find()) {
            String found = matcher.group(1) == null ? "" : matcher.group(1);
            if (java.util.Arrays.stream(labels).allMatch(found::contains)) {
                return Double.parseDouble(matcher.group(2));
            }
        }
        throw new AssertionError(name + " " + java.util.Arrays.toString(labels) + " not in /q/metrics");
    }
}
