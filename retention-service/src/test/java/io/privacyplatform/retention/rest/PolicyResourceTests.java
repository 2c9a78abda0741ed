package io.privacyplatform.retention.rest;

import static io.privacyplatform.retention.RetentionFixtures.PLATFORM_ADMIN;
import static io.privacyplatform.retention.RetentionFixtures.unique;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.privacyplatform.testing.TestDatabase;
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
    void shouldRecordAnApprovalOnlyFromAPlatformAdminWithReasonAndDigest() {
        String id = createdPolicy();
        String digest = given().header("Authorization", PLATFORM_ADMIN).get("/v1/policies/{id}", id)
                .then().statusCode(200).body("decision", nullValue()).extract().path("definitionDigest");
        given().header("Authorization", TestTokens.bearer("acme", "admin")).contentType(ContentType.JSON)
                .body(Map.of("reason", "tax law", "definitionDigest", digest))
                .post("/v1/policies/{id}/approval", id)
                .then().statusCode(403).body("error.code", equalTo("platform_admin_only"));
        given().header("Authorization", PLATFORM_ADMIN).contentType(ContentType.JSON)
                .body(Map.of("definitionDigest", digest))
                .post("/v1/policies/{id}/approval", id)
                .then().statusCode(400).body("error.code", equalTo("validation_failed"))
                .body("error.details[0].field", equalTo("reason"));
        given().header("Authorization", PLATFORM_ADMIN).contentType(ContentType.JSON)
                .body(Map.of("reason", "tax law", "definitionDigest", "not-a-digest"))
                .post("/v1/policies/{id}/approval", id)
                .then().statusCode(400).body("error.details[0].field", equalTo("definitionDigest"));
        given().header("Authorization", PLATFORM_ADMIN).contentType(ContentType.JSON)
                .body(Map.of("reason", "tax law", "definitionDigest", digest))
                .post("/v1/policies/{id}/approval", unique("no-such-policy"))
                .then().statusCode(404);
        assertThat(TestDatabase.count("SELECT count(*) FROM purge_decision WHERE policy_id = ?", id)).isZero();

        String decisionId = given().header("Authorization", PLATFORM_ADMIN).contentType(ContentType.JSON)
                .body(Map.of("reason", "tax law: ten years, then deleted", "definitionDigest", digest))
                .post("/v1/policies/{id}/approval", id)
                .then().statusCode(201)
                .body("policyId", equalTo(id))
                .body("decidedBy", equalTo("platform-admin"))
                .body("reason", equalTo("tax law: ten years, then deleted"))
                .body("definitionDigest", equalTo(digest))
                .extract().path("decisionId");
        given().header("Authorization", PLATFORM_ADMIN).get("/v1/policies/{id}", id)
                .then().statusCode(200).body("decision.decisionId", equalTo(decisionId));
    }

    @Test
    void shouldRefuseATokenForAnotherService() {
        given().header("Authorization", TestTokens.bearerFor("consent-service", "platform", "admin"))
                .get("/v1/policies").then().statusCode(401).body("error.code", equalTo("unauthorized"));
        given().header("Authorization", TestTokens.bearerFor("retention-service", "platform", "admin"))
                .get("/v1/policies").then().statusCode(200);
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
