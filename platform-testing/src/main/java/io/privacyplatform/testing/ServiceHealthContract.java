package io.privacyplatform.testing;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;

import org.junit.jupiter.api.Test;

import io.restassured.RestAssured;

/**
 * What every service must show once it boots against the real broker and database: ready, migrated, documented.
 * A service's {@code HealthResourceTests} extends this and is annotated {@code @QuarkusTest}.
 */
public abstract class ServiceHealthContract {

    private final String openApiTitle;

    protected ServiceHealthContract(String openApiTitle) {
        this.openApiTitle = openApiTitle;
    }

    @Test
    void shouldBeReadyWithDatabaseAndBrokerUp() {
        RestAssured.get("/q/health/ready")
                .then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItems("Database connections health check"));
        // The broker and the delivery lags are wellness checks: a broker outage must not make a service unready.
        RestAssured.get("/q/health/well")
                .then().statusCode(200)
                .body("checks.name", hasItems("Kafka broker", "Delivery lag"));
    }

    @Test
    void shouldHaveMigratedTheSharedOutboxAndInboxTables() {
        assertThat(TestDatabase.count("SELECT count(*) FROM information_schema.tables"
                + " WHERE table_name IN ('outbox_event', 'inbox_event')"), equalTo(2L));
    }

    @Test
    void shouldServeOpenApi() {
        RestAssured.given().accept("application/json").get("/q/openapi")
                .then().statusCode(200)
                .body("info.title", equalTo(openApiTitle));
    }
}
