package io.privacyplatform.consent.rest;

import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.notNullValue;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.response.ValidatableResponse;

@QuarkusTest
class OpenApiTests {

    @Test
    void shouldDocumentEveryEndpoint() {
        ValidatableResponse api = RestAssured.given().accept("application/json").get("/q/openapi").then()
                .statusCode(200);
        String[][] operations = {
                { "/v1/consents", "post" }, { "/v1/consents/batch", "post" }, { "/v1/consents/tcf", "post" },
                { "/v1/consents/{consentId}/receipt", "get" }, { "/v1/subjects/{subjectId}/consents", "get" },
                { "/v1/subjects/{subjectId}/consents/history", "get" }, { "/v1/purposes", "get" },
                { "/v1/purposes/{purposeId}", "put" }, { "/v1/policy-versions", "get" },
                { "/v1/policy-versions/{version}", "put" }, { "/v1/unsubscribe-links", "post" },
                { "/v1/unsubscribe/{token}", "get" }, { "/v1/unsubscribe/{token}", "post" },
                { "/v1/consents/{consentId}/propagation", "get" }, { "/v1/consent-propagation/overdue", "get" },
                { "/v1/consent-subscribers", "get" }, { "/v1/consent-subscribers/{systemId}", "put" },
                { "/v1/consent-subscribers/{systemId}", "get" }, { "/v1/consent-subscribers/{systemId}", "delete" } };
        for (String[] operation : operations) {
            api.body("paths", hasKey(operation[0]))
                    .body("paths.'" + operation[0] + "'." + operation[1] + ".summary", notNullValue());
        }
    }
}
