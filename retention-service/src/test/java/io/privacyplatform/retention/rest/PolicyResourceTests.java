package io.privacyplatform.retention.rest;

import static io.privacyplatform.retention.RetentionFixtures.PLATFORM_ADMIN;
import static io.privacyplatform.retention.RetentionFixtures.unique;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.privacyplatform.testing.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

@QuarkusTest
class PolicyResourceTests {

    private static String createdPolicy() {
        String id = unique("invoices");
        given().header("Authorization", PLATFORM_ADMIN).contentType(ContentType.JSON)
                .body(Map.of("category", "invoice_pdf", "retain", "P10Y", "basis", "legal obligation: tax law",
                        "description", "Invoices are kept ten years", "systems", List.of("billing-archive"),
                        "schedule", "P1D"))
                .put("/v1/policies/{id}", id).then().statusCode(201);
        return id;
    }

    @Test
    void shouldAnswerOnePolicyWithWhatWasStored() {
        String id = createdPolicy();
        given().header("Authorization", PLATFORM_ADMIN).get("/v1/policies/{id}", id)
                .then().statusCode(200)
                .body("id", equalTo(id))
                .body("category", equalTo("invoice_pdf"))
                .body("retain", equalTo("P10Y"))
                .body("basis", equalTo("legal obligation: tax law"))
                .body("description", equalTo("Invoices are kept ten years"))
                .body("systems", equalTo(List.of("billing-archive")))
                .body("schedule", equalTo("PT24H"));
    }

    @Test
    void shouldLetAdminsAndOperatorsOfEveryTenantReadPlatformPolicies() {
        // Policies are platform configuration, not a tenant's data: another tenant reads the same policy.
        String id = createdPolicy();
        given().header("Authorization", TestTokens.bearer("acme", "operator")).get("/v1/policies/{id}", id)
                .then().statusCode(200).body("id", equalTo(id)).body("retain", equalTo("P10Y"));
        given().header("Authorization", TestTokens.bearer("globex", "admin")).get("/v1/policies/{id}", id)
                .then().statusCode(200).body("id", equalTo(id));
    }

    @Test
    void shouldAnswer404ForAnUnknownPolicy() {
        given().header("Authorization", PLATFORM_ADMIN).get("/v1/policies/{id}", unique("no-such-policy"))
                .then().statusCode(404)
                .body("error.code", equalTo("not_found"))
                .body("error.message", equalTo("policy not found"));
    }

    @Test
    void shouldRefuseCallersWithoutAdminOrOperatorRole() {
        String id = createdPolicy();
        given().header("Authorization", TestTokens.bearer("acme", "app")).get("/v1/policies/{id}", id)
                .then().statusCode(403);
        given().get("/v1/policies/{id}", id).then().statusCode(401);
        given().header("Authorization", "Bearer not-a-token").get("/v1/policies/{id}", id).then().statusCode(401);
    }
}
