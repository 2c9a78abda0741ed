package io.privacyplatform.request.rest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class OpenApiTests {

    @Test
    void shouldDocumentEveryEndpoint() {
        Map<String, Object> paths = given().accept("application/json").get("/q/openapi").then().statusCode(200)
                .extract().jsonPath().getMap("paths");
        assertThat(paths).containsKeys("/v1/requests", "/v1/requests/{id}", "/v1/requests/{id}/verification",
                "/v1/requests/{id}/verification-code",
                "/v1/requests/{id}/extension", "/v1/requests/{id}/denial", "/v1/requests/{id}/cancellation",
                "/v1/requests/{id}/audit", "/v1/requests/{id}/audit/verification", "/v1/requests/{id}/export",
                "/", "/login", "/requests/{id}", "/v1/breaches", "/v1/breaches/{id}",
                "/v1/breaches/{id}/authority-notification", "/v1/breaches/{id}/subject-notifications",
                "/v1/breaches/{id}/audit", "/v1/breaches/{id}/audit/verification", "/v1/breaches/export",
                "/opendsr/v1/discovery", "/opendsr/v1/certificate.pem", "/opendsr/v1/requests",
                "/opendsr/v1/requests/{subjectRequestId}", "/opendsr/v1/opengdpr_requests",
                "/opendsr/v1/opengdpr_requests/{subjectRequestId}");
    }
}
