package io.privacyplatform.retention.rest;

import static io.privacyplatform.retention.RetentionFixtures.*;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.privacyplatform.testing.TestDatabase;
import io.privacyplatform.testing.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

@QuarkusTest
class HoldResourceTests {

    @Test
    void shouldPageHoldsOfTheCallersTenantAndReleaseThem() {
        String tenant = unique("tenant");
        String operator = TestTokens.bearer(tenant, "operator");
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ids.add(given().header("Authorization", operator).contentType(ContentType.JSON)
                    .body(Map.of("tenantId", tenant, "subjectId", "cust-" + i, "categories", List.of("billing"),
                            "reason", "dispute " + i))
                    .post("/v1/holds").then().statusCode(201).extract().path("id"));
        }
        String cursor = given().header("Authorization", operator).queryParam("limit", 2).get("/v1/holds").then()
                .statusCode(200).body("items", hasSize(2)).body("nextCursor", notNullValue())
                .extract().path("nextCursor");
        given().header("Authorization", operator).queryParam("limit", 2).queryParam("cursor", cursor)
                .get("/v1/holds").then().statusCode(200).body("items", hasSize(1))
                .body("nextCursor", nullValue());
        given().header("Authorization", TestTokens.bearer("globex", "operator")).get("/v1/holds").then()
                .statusCode(200).body("items.findAll { it.tenantId == '" + tenant + "' }", hasSize(0));

        given().header("Authorization", TestTokens.bearer("globex", "operator")).queryParam("reason", "no")
                .delete("/v1/holds/{id}", ids.get(0)).then().statusCode(404);
        // A release is audited, not a delete: the row stays with who, when and why.
        given().header("Authorization", operator).delete("/v1/holds/{id}", ids.get(0)).then().statusCode(400)
                .body("error.details[0].field", equalTo("reason"));
        given().header("Authorization", operator).queryParam("reason", "dispute withdrawn")
                .delete("/v1/holds/{id}", ids.get(0)).then().statusCode(200).body("active", equalTo(false))
                .body("releaseReason", equalTo("dispute withdrawn"));
        assertThat(TestDatabase.count("SELECT count(*) FROM legal_hold WHERE tenant_id = ?", tenant)).isEqualTo(3);
        assertThat(TestDatabase.count("SELECT count(*) FROM legal_hold WHERE tenant_id = ? AND released_at IS NOT NULL"
                + " AND released_by IS NOT NULL AND release_reason = 'dispute withdrawn'", tenant)).isEqualTo(1);
        given().header("Authorization", operator).queryParam("cursor", "garbage").get("/v1/holds").then()
                .statusCode(400).body("error.details[0].field", equalTo("cursor"));
    }

    @Test
    void shouldRejectInvalidHoldsAndStoreNothing() {
        String tenant = unique("tenant");
        String operator = TestTokens.bearer(tenant, "operator");
        given().header("Authorization", operator).contentType(ContentType.JSON)
                .body(Map.of("subjectId", "c-1", "categories", List.of(), "reason", "x"))
                .post("/v1/holds").then().statusCode(400).body("error.details[0].field", equalTo("categories"));
        given().header("Authorization", operator).contentType(ContentType.JSON)
                .body(Map.of("subjectId", "c-1", "categories", List.of("billing")))
                .post("/v1/holds").then().statusCode(400).body("error.details[0].field", equalTo("reason"));
        given().header("Authorization", operator).contentType(ContentType.JSON)
                .body(Map.of("subjectId", "c-1", "categories", List.of("billing"), "reason", "x",
                        "until", "2001-01-01T00:00:00Z"))
                .post("/v1/holds").then().statusCode(400).body("error.details[0].field", equalTo("until"));
        given().header("Authorization", operator).contentType(ContentType.JSON)
                .body(Map.of("tenantId", "someone-else", "subjectId", "c-1", "categories", List.of("billing"),
                        "reason", "x"))
                .post("/v1/holds").then().statusCode(400).body("error.details[0].field", equalTo("tenantId"));
        given().header("Authorization", TestTokens.bearer(tenant, "app")).contentType(ContentType.JSON)
                .body(Map.of("subjectId", "c-1", "categories", List.of("billing"), "reason", "x"))
                .post("/v1/holds").then().statusCode(403);
        assertThat(TestDatabase.count("SELECT count(*) FROM legal_hold WHERE tenant_id = ?", tenant)).isZero();
    }

    @Test
    void shouldReplayAHoldPlacedWithTheSameIdempotencyKey() {
        String tenant = unique("tenant");
        String operator = TestTokens.bearer(tenant, "operator");
        Map<String, Object> body = Map.of("subjectId", "c-1", "categories", List.of("billing"), "reason", "audit");
        String first = given().header("Authorization", operator).header("Idempotency-Key", "k-1")
                .contentType(ContentType.JSON).body(body).post("/v1/holds").then().statusCode(201)
                .extract().path("id");
        given().header("Authorization", operator).header("Idempotency-Key", "k-1").contentType(ContentType.JSON)
                .body(body).post("/v1/holds").then().statusCode(201).header("Idempotent-Replayed", "true")
                .body("id", equalTo(first));
        assertThat(TestDatabase.count("SELECT count(*) FROM legal_hold WHERE tenant_id = ?", tenant)).isEqualTo(1);
    }
}
