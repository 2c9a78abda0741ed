package io.privacyplatform.retention.rest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.security.KeyFactory;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;

import org.junit.jupiter.api.Test;

import io.privacyplatform.testing.TestDatabase;
import io.privacyplatform.testing.TestTokens;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class CertificateResourceTests {

    @Test
    void shouldPublishOneStoredEd25519Key() throws Exception {
        String key = given().get("/v1/certificate-key").then().statusCode(200)
                .body("algorithm", equalTo("Ed25519")).extract().path("publicKey");
        assertThat(KeyFactory.getInstance("Ed25519")
                .generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(key)))).isNotNull();
        // Generated once and kept, so a restart (or another instance) signs with the same key.
        assertThat(TestDatabase.rows("SELECT public_key FROM signing_key").get(0)).containsEntry("public_key", key);
        assertThat(given().get("/v1/certificate-key").then().extract().<String>path("publicKey")).isEqualTo(key);
    }

    @Test
    void shouldAnswer404ForAnUnknownRequest() {
        given().header("Authorization", TestTokens.bearer("acme", "app"))
                .get("/v1/requests/{id}/certificate", "no-such-request").then().statusCode(404)
                .body("error.code", equalTo("not_found"));
        given().header("Authorization", TestTokens.bearer("acme", "operator"))
                .get("/v1/requests/{id}/commands", "no-such-request").then().statusCode(404);
    }
}
