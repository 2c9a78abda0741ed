package io.privacyplatform.retention.rest;

import static io.privacyplatform.retention.RetentionFixtures.publishedKey;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;

import io.privacyplatform.retention.repository.RightsRequestRepository;
import io.privacyplatform.retention.service.CertificateSigner;
import io.privacyplatform.retention.service.DeletionCertificates;
import io.privacyplatform.events.Ed25519Keys;
import io.privacyplatform.testing.TestDatabase;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;

/**
 * After a rotation: test-2026 signs, test-2025 is retired (only its public half is left in the directory) and still
 * published, so what it signed before the rotation verifies.
 */
@QuarkusTest
@TestProfile(CertificateKeyRotationTests.RotatedKeys.class)
class CertificateKeyRotationTests {

    public static class RotatedKeys implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("retention.certificate.keys-dir", "src/test/resources/certificate-keys-rotated",
                    "retention.certificate.current-key-id", "test-2026");
        }
    }

    @Inject
    DeletionCertificates certificates;

    @Inject
    RightsRequestRepository requests;

    @Test
    void shouldPublishTheNewKeyAsCurrentAndTheOldOneAsRetired() {
        given().get("/v1/certificates/keys").then().statusCode(200)
                .body("keys.keyId", equalTo(List.of("test-2026", "test-2025")))
                .body("keys.status", equalTo(List.of("current", "retired")));
    }

    @Test
    void shouldSignNewCertificatesWithTheNewKeyWhileOldOnesStillVerify() throws Exception {
        // A certificate signed with test-2025 before the rotation, as the service signed it then.
        String oldId = CertificateResourceTests.insertCompletedErasure("acme");
        Map<String, Object> body = new TreeMap<>(Map.of("requestId", oldId, "tenantId", "acme",
                "subjectPseudonym", "0".repeat(64), "systems", List.of(), "held", List.of(),
                "issuedAt", "2025-06-01T10:00:00Z", "keyId", "test-2025"));
        String canonical = CertificateSigner.CANONICAL.writeValueAsString(body);
        String signature = Ed25519Keys.sign(Ed25519Keys.readPrivate(CertificateResourceTests.TEST_2025),
                canonical.getBytes(StandardCharsets.UTF_8));
        TestDatabase.execute("INSERT INTO certificate (request_id, tenant_id, body, signature, issued_at)"
                + " VALUES (?, 'acme', ?, ?, ?)", oldId, canonical, signature, java.sql.Timestamp.from(Instant.now()));

        String newId = CertificateResourceTests.issue(requests, certificates, "acme");

        Map<String, Object> old = CertificateResourceTests.fetch("acme", oldId);
        assertThat(old).containsEntry("keyId", "test-2025");
        assertThat(CertificateResourceTests.verifies(old)).isTrue();
        Map<String, Object> fresh = CertificateResourceTests.fetch("acme", newId);
        assertThat(fresh).containsEntry("keyId", "test-2026");
        assertThat(CertificateResourceTests.verifies(fresh)).isTrue();
        assertThat(CertificateResourceTests.verifiesWith(publishedKey("test-2025"), fresh)).isFalse();
    }
}
