package io.privacyplatform.request.service;

import static io.privacyplatform.request.BreachFixtures.notifications;
import static io.privacyplatform.request.BreachFixtures.recorded;
import static io.privacyplatform.request.BreachFixtures.tenant;
import static io.privacyplatform.request.RequestFixtures.WAIT;
import static io.privacyplatform.request.RequestFixtures.at;
import static io.privacyplatform.request.RequestFixtures.clock;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.privacyplatform.events.payload.Notification;
import io.privacyplatform.testing.ManagementInterface;
import io.privacyplatform.testing.TestDatabase;
import io.privacyplatform.testing.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/** The breach register's 72-hour clock, checked with a moved clock: alerts on Kafka, flags and audit in PostgreSQL. */
@QuarkusTest
class BreachDeadlineWatchTests {

    @Inject
    BreachDeadlineWatch watch;

    @Test
    void shouldAlertForAnOverdueUnnotifiedBreachAndNotForANotifiedOne() {
        String tenant = tenant();
        clock().set(at("2025-09-01T10:00:00Z"));
        String unnotified = recorded(tenant, "2025-09-01T09:00:00Z");
        String notified = recorded(tenant, "2025-09-01T09:00:00Z");
        given().header("Authorization", TestTokens.bearer(tenant, "operator")).contentType(ContentType.JSON)
                .body(Map.of("notifiedAt", "2025-09-01T10:00:00Z"))
                .post("/v1/breaches/" + notified + "/authority-notification").then().statusCode(200);

        // 47 hours left: nothing yet (the warning comes 24 hours before).
        clock().set(at("2025-09-02T10:00:00Z"));
        watch.check();
        assertThat(alerts(unnotified)).isEmpty();

        // 20 hours left: one due_soon, however often the check runs.
        clock().set(at("2025-09-03T13:00:00Z"));
        watch.check();
        watch.check();
        assertThat(alerts(unnotified)).extracting(n -> n.params().get("level")).containsExactly("due_soon");

        // Past the 72 hours (2025-09-04T09:00Z): one overdue alert for the unnotified breach only.
        clock().set(at("2025-09-04T11:30:00Z"));
        watch.check();
        watch.check();
        List<Notification> alerts = alerts(unnotified);
        assertThat(alerts).extracting(n -> n.params().get("level")).containsExactly("due_soon", "overdue");
        Notification overdue = alerts.get(1);
        assertThat(overdue.tenantId()).isEqualTo(tenant);
        assertThat(overdue.recipient()).as("for operators, no person").isNull();
        assertThat(overdue.subjectId()).isNull();
        assertThat(overdue.params()).containsEntry("breachId", unnotified)
                .containsEntry("authorityDueAt", "2025-09-04T09:00:00Z").containsEntry("hoursLeft", "-3")
                .containsEntry("status", "open");
        assertThat(alerts(notified)).as("a notified breach's clock has stopped").isEmpty();

        assertThat(TestDatabase.count("SELECT count(*) FROM breach WHERE id = ? AND alert_due_soon_at IS NOT NULL "
                + "AND alert_overdue_at IS NOT NULL", UUID.fromString(unnotified))).isOne();
        assertThat(TestDatabase.count("SELECT count(*) FROM breach WHERE id = ? AND alert_due_soon_at IS NULL "
                + "AND alert_overdue_at IS NULL", UUID.fromString(notified))).isOne();
        assertThat(TestDatabase.rows("SELECT action FROM request_audit WHERE request_id = ? ORDER BY seq",
                UUID.fromString(unnotified))).extracting(r -> r.get("action"))
                .containsExactly("recorded", "deadline_alert", "deadline_alert");

        // The gauge counts every overdue breach of the module's shared database: notifying this one takes it out.
        double overdueWithIt = gauge();
        given().header("Authorization", TestTokens.bearer(tenant, "operator")).contentType(ContentType.JSON)
                .body(Map.of("notifiedAt", "2025-09-04T11:00:00Z", "delayReason", "forensics took longer"))
                .post("/v1/breaches/" + unnotified + "/authority-notification").then().statusCode(200);
        watch.check();
        assertThat(gauge()).isEqualTo(overdueWithIt - 1);
        assertThat(alerts(unnotified)).hasSize(2);
    }

    private static List<Notification> alerts(String breachId) {
        // The relay publishes right after commit; a read to the end after that sees every alert written so far.
        await().atMost(WAIT).until(() -> TestDatabase.count(
                "SELECT count(*) FROM outbox_event WHERE sent_at IS NULL") == 0);
        return notifications(breachId, BreachRegister.BREACH_ALERT);
    }

    private static double gauge() {
        String metrics = ManagementInterface.given().get("/q/metrics").then().statusCode(200).extract().asString();
        java.util.regex.Matcher matcher = java.util.regex.Pattern
                .compile("(?m)^privacy_breaches_authority_overdue(\\{[^}]*\\})? ([0-9.eE+-]+)$").matcher(metrics);
        assertThat(matcher.find()).as("privacy_breaches_authority_overdue on /q/metrics").isTrue();
        return Double.parseDouble(matcher.group(2));
    }
}
