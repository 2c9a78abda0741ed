package io.privacyplatform.support.error;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

import org.junit.jupiter.api.Test;

import io.privacyplatform.testing.TestDatabase;
import io.privacyplatform.testing.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;

/** The shared auth and error mapping, seen through the test application's widget resource. */
@QuarkusTest
class ErrorShapeTests {

    @Test
    void shouldAnswer404ForAnotherTenantsResource() {
        String id = RestAssured.given()
                .header("Authorization", TestTokens.bearer("platform", "app"))
                .contentType(ContentType.JSON).body("{\"name\":\"platform-only\"}")
                .post("/widgets").then().statusCode(201).extract().path("id");

        RestAssured.given().header("Authorization", TestTokens.bearer("platform", "app"))
                .get("/widgets/" + id).then().statusCode(200).body("name", equalTo("platform-only"));
        RestAssured.given().header("Authorization", TestTokens.bearer("acme", "app"))
                .get("/widgets/" + id)
                .then().statusCode(404)
                .body("error.code", equalTo("not_found"))
                .body("error.message", not(containsString("platform")));
    }

    @Test
    void shouldRejectMalformedJsonWithErrorShape() {
        long before = TestDatabase.count("SELECT count(*) FROM widget");
        RestAssured.given()
                .header("Authorization", TestTokens.bearer("acme", "app"))
                .contentType(ContentType.JSON).body("{\"name\": \"unterminated")
                .post("/widgets")
                .then().statusCode(400)
                .contentType(ContentType.JSON)
                .body("error.code", equalTo("malformed_json"))
                .body("error.message", not(containsString("Exception")));
        org.assertj.core.api.Assertions.assertThat(TestDatabase.count("SELECT count(*) FROM widget"))
                .isEqualTo(before);
    }

    @Test
    void shouldNameTheFieldThatFailsValidation() {
        RestAssured.given()
                .header("Authorization", TestTokens.bearer("acme", "app"))
                .contentType(ContentType.JSON).body("{\"name\":\"\"}")
                .post("/widgets")
                .then().statusCode(400)
                .body("error.code", equalTo("validation_failed"))
                .body("error.details.field", hasItem("name"));
    }

    @Test
    void shouldRejectUnknownField() {
        RestAssured.given()
                .header("Authorization", TestTokens.bearer("acme", "app"))
                .contentType(ContentType.JSON).body("{\"name\":\"ok\",\"colour\":\"red\"}")
                .post("/widgets")
                .then().statusCode(400)
                .body("error.code", equalTo("validation_failed"))
                .body("error.details[0].field", equalTo("colour"))
                .body("error.details[0].problem", equalTo("unknown field"));
    }

    @Test
    void shouldAnswer401WithoutTokenAnd403WithWrongRole() {
        RestAssured.given().get("/widgets/00000000-0000-0000-0000-000000000000")
                .then().statusCode(401).body("error.code", equalTo("unauthorized"));
        RestAssured.given().header("Authorization", "Bearer not-a-jwt")
                .get("/widgets/00000000-0000-0000-0000-000000000000")
                .then().statusCode(401).body("error.code", equalTo("unauthorized"));
        RestAssured.given().header("Authorization", TestTokens.bearer("acme", "operator"))
                .get("/widgets/00000000-0000-0000-0000-000000000000")
                .then().statusCode(403).body("error.code", equalTo("forbidden"));
    }

    @Test
    void shouldAnswerUnknownPathAndBadPathParameterInErrorShape() {
        RestAssured.given().header("Authorization", TestTokens.bearer("acme", "app"))
                .get("/no-such-thing")
                .then().statusCode(404).body("error.code", equalTo("not_found"));
        RestAssured.given().header("Authorization", TestTokens.bearer("acme", "app"))
                .get("/widgets/not-a-uuid")
                .then().statusCode(404).body("error.code", equalTo("not_found"))
                .body("error.details", nullValue());
    }
}
