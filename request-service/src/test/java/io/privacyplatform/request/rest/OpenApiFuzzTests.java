package io.privacyplatform.request.rest;

import java.io.IOException;

import org.junit.jupiter.api.Test;

import io.privacyplatform.testing.fuzz.OpenApiFuzzer;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;

/**
 * Every operation of the published OpenAPI document, with valid-ish and hostile values (OpenApiFuzzer): never a 5xx,
 * every 4xx in the JSON error shape, no 2xx for clearly invalid input. A failure prints the seed to repeat it.
 */
@QuarkusTest
class OpenApiFuzzTests {

    @Test
    void shouldNeverAnswer5xxNorAcceptClearlyInvalidInput() throws IOException {
        OpenApiFuzzer.withTestTokens(RestAssured.port, 0x2E90E57L, "acme:app", "acme:operator", "acme:admin")
                .cases(450)
                // the operator dashboard answers people in HTML (its 4xx pages are not the JSON error shape)
                .htmlPages("/").htmlPages("/login").htmlPages("/logout").htmlPages("/requests")
                // so does the public privacy page (its downloads are JSON, its errors pages)
                .htmlPages("/privacy")
                // OpenDSR's error object (section 7.6): an integer code, a message, errors
                .errorShape("/opendsr", body -> body.path("error").path("code").isInt()
                        && body.path("error").path("message").isTextual()
                        && body.path("error").path("errors").isArray())
                .runAndAssert();
    }
}
