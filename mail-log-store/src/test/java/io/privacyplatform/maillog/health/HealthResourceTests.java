package io.privacyplatform.maillog.health;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;

import org.junit.jupiter.api.Test;

import io.privacyplatform.testing.TestDatabase;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;

@QuarkusTest
class HealthResourceTests {

    @Test
    void shouldBeReadyWithDatabaseAndBrokerUp() {
        RestAssured.get("/q/health/ready")
                .then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItems("Database connections health check", "Kafka broker"));
    }

    @Test
    void shouldHaveMigratedTheSharedOutboxAndInboxTables() {
        org.assertj.core.api.Assertions.assertThat(TestDatabase.count(
                "SELECT count(*) FROM information_schema.tables WHERE table_name IN ('outbox_event', 'inbox_event')"))
                .isEqualTo(2);
    }

    @Test
    void shouldServeOpenApi() {
        RestAssured.given().accept("application/json").get("/q/openapi")
                .then().statusCode(200)
                .body("info.title", equalTo("Mail log store"));
    }
}
