package io.privacyplatform.testing;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;

import org.junit.jupiter.api.Test;

import io.restassured.RestAssured;

/**
 * What every service must show once it boots against the real broker and database: ready, migrated, documented,
 * with health and metrics on the management interface only. A service's {@code HealthResourceTests} extends this
 * and is annotated {@code @QuarkusTest}.
 */
public abstract class ServiceHealthContract {

    private final String openApiTitle;

    protected ServiceHealthContract(String openApiTitle) {
        this.openApiTitle = openApiTitle;
    }

    @Test
    void shouldBeReadyWithDatabaseAndBrokerUp() {
        ManagementInterface.given().get("/q/health/ready")
                .then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItems("Database connections health check"));
        // The broker and the delivery lags are wellness checks: a broker outage must not make a service unready.
        ManagementInterface.given().get("/q/health/well")
                .then().statusCode(200)
                .body("checks.name", hasItems("Kafka broker", "Delivery lag"));
    }

    @Test
    void shouldServeMetricsOnTheManagementInterface() {
        ManagementInterface.given().get("/q/metrics")
                .then().statusCode(200)
                .body(containsString("jvm_memory_used_bytes"));
    }

    @Test
    void shouldNotAnswerHealthOrMetricsOnTheApiPort() {
        for (String path : new String[] { "/q/health", "/q/health/ready", "/q/health/live", "/q/metrics" }) {
            assertThat(path + " on the API port", RestAssured.given().get(path).statusCode(), equalTo(404));
        }
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
