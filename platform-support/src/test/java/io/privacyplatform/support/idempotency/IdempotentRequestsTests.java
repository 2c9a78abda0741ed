package io.privacyplatform.support.idempotency;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.privacyplatform.support.testapp.WidgetService;
import io.privacyplatform.testing.TestDatabase;
import io.privacyplatform.testing.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;

@QuarkusTest
class IdempotentRequestsTests {

    @Test
    void shouldReplayTheFirstResponseAndStoreOnce() {
        String key = UUID.randomUUID().toString();
        String name = "idem-" + key.substring(0, 8);
        ExtractableResponse<Response> first = post("acme", key, name).then().statusCode(201).extract();
        ExtractableResponse<Response> again = post("acme", key, name).then().statusCode(201)
                .header(IdempotentRequests.REPLAYED_HEADER, "true").extract();

        assertThat(again.path("id").toString()).isEqualTo(first.path("id").toString());
        assertThat(TestDatabase.count("SELECT count(*) FROM widget WHERE name = ?", name)).isEqualTo(1);
        assertThat(TestDatabase.count("SELECT count(*) FROM outbox_event WHERE event_id = ?",
                first.path("eventId").toString())).isEqualTo(1);
    }

    @Test
    void shouldRejectTheSameKeyWithAnotherBody() {
        String key = UUID.randomUUID().toString();
        post("acme", key, "one-" + key.substring(0, 8)).then().statusCode(201);
        post("acme", key, "two-" + key.substring(0, 8)).then().statusCode(409)
                .body("error.code", equalTo("idempotency_key_reused"));
        assertThat(TestDatabase.count("SELECT count(*) FROM widget WHERE name = ?", "two-" + key.substring(0, 8)))
                .isZero();
    }

    @Test
    void shouldKeepKeysApartPerTenant() {
        String key = UUID.randomUUID().toString();
        String acme = post("acme", key, "same-" + key.substring(0, 8)).then().statusCode(201).extract().path("id");
        String other = post("platform", key, "same-" + key.substring(0, 8)).then().statusCode(201).extract()
                .path("id");
        assertThat(other).isNotEqualTo(acme);
    }

    @Test
    void shouldLetAKeyBeUsedAgainAfterAFailedRequest() {
        String key = UUID.randomUUID().toString();
        // The action fails after the key was claimed: the claim rolls back with it.
        post("acme", key, WidgetService.FAIL_AFTER_PUBLISH).then().statusCode(409)
                .body("error.code", equalTo("widget_refused"));
        post("acme", key, "ok-" + key.substring(0, 8)).then().statusCode(201);
    }

    private static Response post(String tenant, String key, String name) {
        return RestAssured.given()
                .header("Authorization", TestTokens.bearer(tenant, "app"))
                .header(IdempotentRequests.HEADER, key)
                .contentType(ContentType.JSON)
                .body("{\"name\":\"" + name + "\"}")
                .post("/widgets");
    }
}
