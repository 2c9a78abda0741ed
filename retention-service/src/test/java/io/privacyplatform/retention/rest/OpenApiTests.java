package io.privacyplatform.retention.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class OpenApiTests {

    @Test
    void shouldDocumentEveryEndpoint() {
        given().queryParam("format", "json").get("/q/openapi").then().statusCode(200)
                .body(containsString("/v1/systems/{systemId}"))
                .body(containsString("/v1/policies/{policyId}/runs"))
                .body(containsString("/v1/policies/{policyId}/approval"))
                .body(containsString("/v1/tenants/{tenantId}/settings"))
                .body(containsString("/v1/holds/{holdId}"))
                .body(containsString("/v1/requests/{requestId}/commands"))
                .body(containsString("/v1/commands/{commandId}/redrive"))
                .body(containsString("/v1/requests/{requestId}/certificate"))
                .body(containsString("/v1/certificate-key"))
                .body(containsString("/v1/residency/report"));
    }
}
