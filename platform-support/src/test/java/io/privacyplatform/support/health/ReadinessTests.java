package io.privacyplatform.support.health;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import io.privacyplatform.testing.ManagementInterface;
import io.privacyplatform.testing.PlatformTestResource;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class ReadinessTests {

    @Test
    void shouldBeReadyOnlyWhileTheBrokerIsUp() {
        ManagementInterface.given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));

        PlatformTestResource.kafka().stopBroker();
        try {
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> ManagementInterface.given().get("/q/health/ready").statusCode() == 503);
        } finally {
            PlatformTestResource.kafka().startBroker();
        }
        await().atMost(Duration.ofSeconds(30))
                .until(() -> ManagementInterface.given().get("/q/health/ready").statusCode() == 200);
    }
}
