package io.privacyplatform.support.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.hasItem;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import io.privacyplatform.testing.ManagementInterface;
import io.privacyplatform.testing.PlatformTestResource;
import io.privacyplatform.testing.TestDatabase;
import io.privacyplatform.testing.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

/**
 * A broker outage does not take the API down: readiness stays UP, writes wait in the outbox, the wellness checks
 * and the gauges say what is going on, and the backlog drains when the broker is back.
 */
@QuarkusTest
class ReadinessTests {

    static final String READY = "/q/health/ready";
    static final String HEALTH = "/q/health";
    static final String METRICS = "/q/metrics";
    private static final Duration WAIT = Duration.ofSeconds(60);

    @Test
    void shouldStayReadyAndKeepWritesInTheOutboxWhileTheBrokerIsDown() {
        ManagementInterface.given().get(READY).then().statusCode(200).body("status", equalTo("UP"))
                .body("checks.name", not(hasItem(KafkaBrokerHealth.NAME)));
        await().atMost(WAIT).until(() -> "reachable".equals(check(KafkaBrokerHealth.NAME).getString("data.broker")));

        String eventId;
        PlatformTestResource.kafka().stopBroker();
        try {
            await().atMost(WAIT).until(() -> "unreachable".equals(
                    check(KafkaBrokerHealth.NAME).getString("data.broker")));
            assertThat(check(KafkaBrokerHealth.NAME).getString("status")).isEqualTo("DOWN");
            ManagementInterface.given().get(READY).then().log().ifValidationFails().statusCode(200).body("status", equalTo("UP"));

            eventId = RestAssured.given().header("Authorization", TestTokens.bearer("acme", "app"))
                    .contentType(ContentType.JSON).body("{\"name\":\"during-outage\"}")
                    .post("/widgets").then().statusCode(201).extract().path("eventId");
            assertThat(TestDatabase.count(
                    "SELECT count(*) FROM outbox_event WHERE event_id = ? AND sent_at IS NULL", eventId)).isEqualTo(1);

            long firstAge = await().atMost(WAIT).until(() -> relayLag().getLong("data.outboxOldestUnsentSeconds"),
                    age -> age >= 1);
            await().atMost(WAIT).until(() -> relayLag().getLong("data.outboxOldestUnsentSeconds") > firstAge);
            assertThat(relayLag().getLong("data.outboxUnsentRows")).isPositive();
            assertThat(gauge("privacy_outbox_unsent_rows")).isPositive();
            assertThat(gauge("privacy_outbox_oldest_unsent_seconds")).isGreaterThanOrEqualTo(firstAge);
            assertThat(gauge("privacy_kafka_broker_reachable")).isZero();
            ManagementInterface.given().get(READY).then().statusCode(200);
        } finally {
            PlatformTestResource.kafka().startBroker();
        }

        await().atMost(WAIT).until(() -> TestDatabase.count(
                "SELECT count(*) FROM outbox_event WHERE event_id = ? AND sent_at IS NOT NULL", eventId) == 1);
        // Every row the test application writes is publishable, so the backlog drains completely.
        await().atMost(WAIT).until(() -> relayLag().getLong("data.outboxUnsentRows") == 0
                && relayLag().getLong("data.outboxOldestUnsentSeconds") == 0);
        await().atMost(WAIT).until(() -> gauge("privacy_outbox_unsent_rows") == 0
                && gauge("privacy_outbox_oldest_unsent_seconds") == 0 && gauge("privacy_kafka_broker_reachable") == 1);
        assertThat(check(KafkaBrokerHealth.NAME).getString("status")).isEqualTo("UP");
    }

    /** One named check of {@code /q/health} (liveness, readiness and wellness together; 503 while one is DOWN). */
    static JsonPath check(String name) {
        String health = ManagementInterface.given().get(HEALTH).then().extract().asString();
        return new JsonPath(health).setRootPath("checks.find { it.name == '" + name + "' }");
    }

    static JsonPath relayLag() {
        return check(DeliveryLagHealth.NAME);
    }

    /** The value of a gauge without labels on {@code /q/metrics}. */
    static double gauge(String name) {
        return MetricsText.value(ManagementInterface.given().get(METRICS).then().statusCode(200).extract().asString(), name);
    }
}
