package io.privacyplatform.consent.rest;

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
        OpenApiFuzzer.withTestTokens(RestAssured.port, 0xC0175E47L, "acme:admin", "acme:app", "acme:operator")
                .cases(450)
                .runAndAssert();
    }
}
