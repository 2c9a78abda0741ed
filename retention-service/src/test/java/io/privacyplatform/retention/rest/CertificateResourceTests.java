package io.privacyplatform.retention.rest;

import static io.privacyplatform.retention.RetentionFixtures.publishedKey;
import static io.privacyplatform.retention.RetentionFixtures.unique;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.core.type.TypeReference;

import io.privacyplatform.retention.repository.RightsRequestRepository;
import io.privacyplatform.retention.service.CertificateSigner;
import io.privacyplatform.retention.service.DeletionCertificates;
import io.privacyplatform.events.Ed25519Keys;
import io.privacyplatform.testing.TestDatabase;
import io.privacyplatform.testing.TestTokens;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;

@QuarkusTest
class CertificateResourceTests {

    /** The test profile's key (src/test/resources/certificate-keys/test-2025.pem). */
    static final Path TEST_2025 = Path.of("src/test/resources/certificate-keys/test-2025.pem");

    @Inject
    DeletionCertificates certificates;

    @Inject
    RightsRequestRepository requests;

    @Test
    void shouldPublishTheConfiguredKeyByIdAndKeepNoKeyInTheDatabase() {
        given().get("/v1/certificates/keys").then().statusCode(200)
                .body("keys.keyId", equalTo(List.of("test-2025")))
                .body("keys[0].status", equalTo("current"))
                .body("keys[0].algorithm", equalTo("Ed25519"));
        String published = publishedKey("test-2025");
        assertThat(published).isEqualTo(Ed25519Keys.publicKeyBase64(
                Ed25519Keys.publicOf(Ed25519Keys.readPrivate(TEST_2025))));
        // The key lives in the mounted directory only: the table that once held a generated one is gone (V32).
        assertThat(TestDatabase.rows("SELECT to_regclass('signing_key') AS t").get(0).get("t")).isNull();
    }

    @Test
    void shouldNameItsKeyInTheSignedBodyAndVerifyWithThePublishedKeyOfThatId() throws Exception {
        String requestId = issue(this, "acme");

        Map<String, Object> certificate = fetch("acme", requestId);
        assertThat(certificate).containsEntry("keyId", "test-2025");
        assertThat(verifies(certificate)).isTrue();
        // keyId is part of what is signed: pointing it at another key breaks the signature.
        certificate.put("keyId", "test-2026");
        assertThat(verifiesWith(publishedKey("test-2025"), certificate)).isFalse();
    }

    @Test
    void shouldAnswer404ForAnUnknownRequest() {
        given().header("Authorization", TestTokens.bearer("acme", "app"))
                .get("/v1/requests/{id}/certificate", "no-such-request").then().statusCode(404)
                .body("error.code", equalTo("not_found"));
        given().header("Authorization", TestTokens.bearer("acme", "operator"))
                .get("/v1/requests/{id}/commands", "no-such-request").then().statusCode(404);
    }

    /**
     * A completed erasure of nothing (no system held data): a certificate the service signs itself, without the
     * fan-out the ITs cover. Answers the request id.
     */
    static String issue(CertificateResourceTests test, String tenant) {
        return issue(test.requests, test.certificates, tenant);
    }

    static String issue(RightsRequestRepository requests, DeletionCertificates certificates, String tenant) {
        String requestId = insertCompletedErasure(tenant);
        QuarkusTransaction.requiringNew().run(() -> certificates.issue(requests.findById(requestId), List.of()));
        return requestId;
    }

    static String insertCompletedErasure(String tenant) {
        String requestId = unique("req");
        TestDatabase.execute("INSERT INTO rights_request (request_id, tenant_id, type, subject_pseudonym, state,"
                + " verified_at, completed_at) VALUES (?, ?, 'erasure', ?, 'completed', ?, ?)", requestId, tenant,
                "0".repeat(64), java.sql.Timestamp.from(Instant.now()), java.sql.Timestamp.from(Instant.now()));
        return requestId;
    }

    static Map<String, Object> fetch(String tenant, String requestId) throws Exception {
        String json = given().header("Authorization", TestTokens.bearer(tenant, "app"))
                .get("/v1/requests/{id}/certificate", requestId).then().statusCode(200).extract().asString();
        return new TreeMap<>(CertificateSigner.CANONICAL.readValue(json, new TypeReference<Map<String, Object>>() {
        }));
    }

    /** As a holder checks it: the key its keyId names, from the published list, over the canonical form. */
    static boolean verifies(Map<String, Object> certificate) throws Exception {
        return verifiesWith(publishedKey(certificate.get("keyId")), certificate);
    }

    static boolean verifiesWith(String publicKey, Map<String, Object> certificate) throws Exception {
        Map<String, Object> unsigned = new TreeMap<>(certificate);
        String signature = (String) unsigned.remove("signature");
        return Ed25519Keys.verify(Ed25519Keys.publicKeyFromBase64(publicKey),
                CertificateSigner.CANONICAL.writeValueAsString(unsigned).getBytes(StandardCharsets.UTF_8), signature);
    }
}
