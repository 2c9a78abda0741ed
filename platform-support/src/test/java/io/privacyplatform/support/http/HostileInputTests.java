package io.privacyplatform.support.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.startsWith;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.privacyplatform.support.time.AcceptedInstants;
import io.privacyplatform.testing.TestDatabase;
import io.privacyplatform.testing.TestTokens;
import io.privacyplatform.testing.fuzz.RawHttp;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;

/**
 * Hostile input against the shared handling (strict JSON, the HTTP layer's answers, the database's refusals), seen
 * through the test application's probe resource. Every refusal is a 4xx in the JSON error shape.
 */
@QuarkusTest
class HostileInputTests {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static ValidatableResponse postProbe(String body) {
        return RestAssured.given().header("Authorization", TestTokens.bearer("acme", "app"))
                .contentType(ContentType.JSON).body(body.getBytes(StandardCharsets.UTF_8)).post("/probes").then();
    }

    private static RawHttp.Response raw(String method, String target, List<Map.Entry<String, String>> headers,
            String body) throws IOException {
        List<Map.Entry<String, String>> all = new java.util.ArrayList<>(headers);
        all.add(Map.entry("Authorization", TestTokens.bearer("acme", "app")));
        return new RawHttp("localhost", RestAssured.port, 20_000).send(method, target, all,
                body == null ? null : body.getBytes(StandardCharsets.UTF_8));
    }

    private static JsonNode errorOf(RawHttp.Response response) throws IOException {
        assertThat(response.header("Content-Type")).as("%s", response).startsWith("application/json");
        JsonNode error = JSON.readTree(response.body()).path("error");
        assertThat(error.path("code").asText()).isNotBlank();
        assertThat(error.path("message").isTextual()).isTrue();
        return error;
    }

    @Test
    void shouldAcceptWellTypedInput() {
        postProbe("{\"text\":\"ünïcode 🙂\",\"at\":\"2026-01-31T12:00:00Z\",\"flag\":true,\"count\":3,"
                + "\"tags\":{\"k\":\"v\"},\"names\":[\"a\"]}")
                .statusCode(200).body("text", equalTo("ünïcode 🙂")).body("at", equalTo("2026-01-31T12:00:00Z"))
                .body("count", equalTo(3));
    }

    @Test
    void shouldRejectDuplicatedKey() {
        postProbe("{\"text\":\"a\",\"text\":\"b\"}").statusCode(400).body("error.code", equalTo("malformed_json"));
    }

    @Test
    void shouldRejectValuesOfAnotherTypeInsteadOfCoercingThem() {
        postProbe("{\"text\":12345}").statusCode(400).body("error.code", equalTo("validation_failed"))
                .body("error.details.field", hasItem("text"));
        postProbe("{\"text\":true}").statusCode(400).body("error.details.field", hasItem("text"));
        postProbe("{\"flag\":1}").statusCode(400).body("error.details.field", hasItem("flag"));
        postProbe("{\"flag\":\"true\"}").statusCode(400).body("error.details.field", hasItem("flag"));
        postProbe("{\"flag\":9223372036854775808}").statusCode(400).body("error.details.field", hasItem("flag"));
        postProbe("{\"count\":1.5}").statusCode(400).body("error.details.field", hasItem("count"));
        postProbe("{\"count\":\"12\"}").statusCode(400).body("error.details.field", hasItem("count"));
        postProbe("{\"count\":9223372036854775808}").statusCode(400).body("error.details.field", hasItem("count"));
        postProbe("{\"count\":1e309}").statusCode(400).body("error.details.field", hasItem("count"));
        postProbe("{\"names\":[7]}").statusCode(400).body("error.details.field", hasItem("names[0]"));
    }

    @Test
    void shouldRejectInstantsOutsideTheAcceptedRange() {
        for (String at : List.of("\"+300000-01-01T00:00:00Z\"", "\"-1000000000-01-01T00:00:00Z\"", "1e309",
                "\"1e309\"", "0", "\"2026-01-31T12:00:00Z\\u0001\"", "\"2026-01-31T12:00:00Z \"",
                "\"1969-12-31T23:59:59Z\"", "\"2026-13-45T99:99:99Z\"")) {
            int status = postProbe("{\"at\":" + at + "}").extract().statusCode();
            assertThat(status).as(at).isEqualTo(400);
            postProbe("{\"at\":" + at + "}").body("error.code", equalTo("validation_failed"))
                    .body("error.details.field", hasItem("at"));
        }
        postProbe("{\"at\":\"+300000-01-01T00:00:00Z\"}").body("error.details[0].problem",
                equalTo(AcceptedInstants.PROBLEM));
    }

    @Test
    void shouldAcceptInstantsAtTheEdgesOfTheRange() {
        postProbe("{\"at\":\"1970-01-01T00:00:00Z\"}").statusCode(200).body("at", equalTo("1970-01-01T00:00:00Z"));
        postProbe("{\"at\":\"9999-12-31T23:59:59Z\"}").statusCode(200).body("at", equalTo("9999-12-31T23:59:59Z"));
    }

    @Test
    void shouldRejectInstantQueryParameterOutsideTheRange() {
        RestAssured.given().header("Authorization", TestTokens.bearer("acme", "app"))
                .queryParam("at", "+300000-01-01T00:00:00Z").get("/probes/at")
                .then().statusCode(400).body("error.details[0].field", equalTo("at"));
        RestAssured.given().header("Authorization", TestTokens.bearer("acme", "app"))
                .queryParam("at", "2026-01-31T12:00:00Z").get("/probes/at")
                .then().statusCode(200).body("at", equalTo("2026-01-31T12:00:00Z"));
    }

    @Test
    void shouldRejectNulInBodyStringsAndKeys() {
        postProbe("{\"text\":\"a\\u0000b\"}").statusCode(400).body("error.details.field", hasItem("text"));
        postProbe("{\"names\":[\"a\\u0000\"]}").statusCode(400).body("error.details.field", hasItem("names[0]"));
        postProbe("{\"tags\":{\"k\":\"\\u0000\"}}").statusCode(400).body("error.code", equalTo("validation_failed"));
        postProbe("{\"tags\":{\"k\\u0000\":\"v\"}}").statusCode(400).body("error.code", equalTo("validation_failed"));
    }

    @Test
    void shouldRejectNulAndMalformedEscapesInPathAndQuery() throws IOException {
        assertThat(errorOf(raw("GET", "/probes/a%00b", List.of(), null)).path("code").asText())
                .isEqualTo("validation_failed");
        assertThat(errorOf(raw("GET", "/probes/at?at=%00", List.of(), null)).path("code").asText())
                .isEqualTo("validation_failed");
        for (String target : List.of("/probes/a%zz", "/probes/a%", "/probes/at?at=%g1", "/%")) {
            RawHttp.Response response = raw("GET", target, List.of(), null);
            assertThat(response.status()).as(target).isEqualTo(400);
            assertThat(errorOf(response).path("code").asText()).as(target).isEqualTo("malformed_uri");
        }
    }

    @Test
    void shouldAnswerWhatTheDatabaseRefusesAsClientErrors() {
        UUID id = UUID.randomUUID();
        RestAssured.given().header("Authorization", TestTokens.bearer("acme", "app"))
                .contentType(ContentType.URLENC).body("name=a%00b").put("/probes/widgets/" + id)
                .then().statusCode(400).body("error.code", equalTo("validation_failed"));
        assertThat(TestDatabase.count("SELECT count(*) FROM widget WHERE id = '" + id + "'")).isZero();

        RestAssured.given().header("Authorization", TestTokens.bearer("acme", "app"))
                .contentType(ContentType.URLENC).body("name=probe-" + id.toString().substring(0, 8))
                .put("/probes/widgets/" + id)
                .then().statusCode(200);
        RestAssured.given().header("Authorization", TestTokens.bearer("acme", "app"))
                .contentType(ContentType.URLENC).body("name=probe-" + id.toString().substring(9, 13))
                .put("/probes/widgets/" + id)
                .then().statusCode(409).body("error.code", equalTo("conflict"));
    }

    @Test
    void shouldRejectMalformedFormBody() throws IOException {
        UUID id = UUID.randomUUID();
        for (String body : List.of("name=%zz", "name=abc%")) {
            RawHttp.Response response = raw("PUT", "/probes/widgets/" + id,
                    List.of(Map.entry("Content-Type", "application/x-www-form-urlencoded")), body);
            assertThat(response.status()).as(body).isBetween(400, 499);
            errorOf(response);
        }
        RawHttp.Response multipart = raw("PUT", "/probes/widgets/" + id,
                List.of(Map.entry("Content-Type", "multipart/form-data")), "--x\r\n\r\nbroken");
        assertThat(multipart.status()).isBetween(400, 499);
        errorOf(multipart);
    }

    @Test
    void shouldAnswerHttpLayerRefusalsInTheErrorShape() throws IOException {
        RawHttp.Response longUri = raw("GET", "/probes/" + "a".repeat(10_000), List.of(), null);
        assertThat(longUri.status()).isEqualTo(414);
        assertThat(errorOf(longUri).path("code").asText()).isEqualTo("uri_too_long");

        RawHttp.Response bigHeaders = raw("GET", "/probes/a", List.of(Map.entry("X-Padding", "p".repeat(30_000))),
                null);
        assertThat(bigHeaders.status()).isEqualTo(431);
        assertThat(errorOf(bigHeaders).path("code").asText()).isEqualTo("headers_too_large");

        RawHttp.Response declaredTooLarge = raw("POST", "/probes", List.of(Map.entry("Content-Type",
                "application/json"), Map.entry("Content-Length", "5000000")), null);
        assertThat(declaredTooLarge.status()).isEqualTo(413);
        assertThat(errorOf(declaredTooLarge).path("code").asText()).isEqualTo("payload_too_large");
    }
}
