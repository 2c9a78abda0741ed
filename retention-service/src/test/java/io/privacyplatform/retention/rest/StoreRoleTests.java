package io.privacyplatform.retention.rest;

import static io.privacyplatform.retention.RetentionFixtures.unique;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.privacyplatform.testing.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

/**
 * A store's token may register and update its own system and nothing else: every protected operation this service
 * documents, but {@code PUT /v1/systems/{systemId}}, answers it 403. Driven by the OpenAPI document, so an endpoint
 * added later is covered without touching this test.
 */
@QuarkusTest
class StoreRoleTests {

    private static final List<String> METHODS = List.of("get", "put", "post", "delete", "patch");

    @Test
    void shouldForbidAStoreTokenEveryProtectedOperationButPuttingItsSystem() {
        String store = "Bearer " + TestTokens.store(unique("store"));
        JsonPath openApi = given().queryParam("format", "json").get("/q/openapi").then().statusCode(200)
                .extract().jsonPath();
        Map<String, Map<String, Object>> paths = openApi.getMap("paths");
        List<String> tried = new ArrayList<>();
        List<String> allowed = new ArrayList<>();

        paths.forEach((path, operations) -> operations.forEach((method, operation) -> {
            if (!METHODS.contains(method) || !isProtected(operation)
                    || ("put".equals(method) && "/v1/systems/{systemId}".equals(path))) {
                return;
            }
            String url = path.replaceAll("\\{[^}]+}", unique("id"));
            int status = given().header("Authorization", store).contentType(ContentType.JSON).body("{}")
                    .request(method.toUpperCase(), url).then().extract().statusCode();
            tried.add(method + " " + path);
            if (status != 403) {
                allowed.add(method + " " + path + " -> " + status);
            }
        }));

        assertThat(tried).as("the OpenAPI document lists the protected operations").hasSizeGreaterThan(10);
        assertThat(allowed).as("operations that did not refuse a store token").isEmpty();
    }

    @SuppressWarnings("unchecked")
    private static boolean isProtected(Object operation) {
        Object security = ((Map<String, Object>) operation).get("security");
        return security instanceof List<?> list && !list.isEmpty();
    }
}
