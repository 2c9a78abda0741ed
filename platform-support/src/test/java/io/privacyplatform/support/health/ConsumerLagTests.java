package io.privacyplatform.support.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

import io.privacyplatform.testing.ManagementInterface;
import io.privacyplatform.events.EventCodec;
import io.privacyplatform.events.EventEnvelope;
import io.privacyplatform.events.Topics;
import io.privacyplatform.events.payload.Notification;
import io.privacyplatform.support.testapp.NotificationFaults;
import io.privacyplatform.testing.PlatformTestResource;
import io.privacyplatform.testing.TestDatabase;
import io.privacyplatform.testing.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;

@QuarkusTest
class ConsumerLagTests {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String GROUP = "support-test";
    private static final int WAITING = 5;
    private final EventCodec codec = new EventCodec();

    @Test
    void shouldShowTheRecordsWaitingForASlowConsumerAndNoneOnceItCaughtUp() {
        String key = "lag-" + UUID.randomUUID();
        List<EventEnvelope> events = new ArrayList<>();
        events.add(envelope(key, NotificationFaults.GATED));
        for (int i = 0; i < WAITING; i++) {
            events.add(envelope(key, "lag_test"));
        }
        // An event through the outbox relay, published in a Kafka transaction: its partition then ends with a
        // commit marker, which occupies an offset but is never delivered, and must not count as lag.
        String published = RestAssured.given().header("Authorization", TestTokens.bearer("acme", "app"))
                .contentType(ContentType.JSON).body("{\"name\":\"lag-test\"}").post("/widgets")
                .then().statusCode(201).extract().path("eventId");
        NotificationFaults.closeGate();
        try {
            // One key, one partition: the records behind the held one wait, uncommitted.
            PlatformTestResource.kafka().send(events.stream().map(e -> e.toRecord(Topics.NOTIFICATION))
                    .toArray(ProducerRecord[]::new));
            await().atMost(WAIT).until(() -> lagGauge() >= WAITING);
            assertThat(ReadinessTests.check(DeliveryLagHealth.NAME)
                    .getLong("data.'consumerLag." + GROUP + "/" + Topics.NOTIFICATION + "'")).isGreaterThanOrEqualTo(WAITING);
        } finally {
            NotificationFaults.openGate();
        }
        await().atMost(WAIT).until(() -> effects(published) == 1 && events.stream().allMatch(e -> effects(e.id()) == 1));
        await().atMost(WAIT).until(() -> lagGauge() == 0);
        assertThat(ReadinessTests.check(DeliveryLagHealth.NAME)
                .getLong("data.'consumerLag." + GROUP + "/" + Topics.NOTIFICATION + "'")).isZero();
    }

    private static double lagGauge() {
        return MetricsText.value(ManagementInterface.given().get(ReadinessTests.METRICS).then().statusCode(200).extract().asString(),
                "privacy_consumer_lag_records", "group=\"" + GROUP + "\"", "topic=\"" + Topics.NOTIFICATION + "\"");
    }

    private EventEnvelope envelope(String key, String kind) {
        Notification payload = new Notification(UUID.randomUUID().toString(), "acme", kind, null, null, null,
                Map.of(), Instant.now());
        return codec.envelope("/tests", "acme", key, payload);
    }

    private static long effects(String eventId) {
        return TestDatabase.count("SELECT count(*) FROM notification_effect WHERE event_id = ?", eventId);
    }
}
