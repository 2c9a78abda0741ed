package io.privacyplatform.system;

import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;

import io.privacyplatform.events.EventEnvelope;
import io.privacyplatform.events.EventCodec;
import io.privacyplatform.events.InvalidEventException;
import io.privacyplatform.events.keys.JdbcSubjectKeys;
import io.privacyplatform.events.keys.SubjectErasedException;
import io.privacyplatform.system.PlatformProcesses.Service;
import io.privacyplatform.testing.TestKeyStore;
import io.privacyplatform.testing.TestTokens;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/** The platform as its users call it: product apps, operators and admins, over HTTP only. */
final class PlatformApi {

    static final Duration COMPLETION = Duration.ofSeconds(60);
    // With the key store the services under test use: their events' personal fields are sealed.
    static final EventCodec CODEC = new EventCodec(Clock.systemUTC(),
            JdbcSubjectKeys.fromSettings(TestKeyStore.settings()));
    private static final ObjectMapper CANONICAL = JsonMapper.builder()
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
            .build();

    private final PlatformProcesses platform;

    PlatformApi(PlatformProcesses platform) {
        this.platform = platform;
    }

    RequestSpecification as(Service service, String tenant, String role) {
        return RestAssured.given().baseUri(platform.url(service))
                .header("Authorization", TestTokens.bearer(tenant, role))
                .contentType("application/json");
    }

    /** A consent purpose and a current (non-material) policy version for {@code tenant}. */
    void purpose(String tenant, String purpose, String category, String basis) {
        as(Service.CONSENT, tenant, "admin")
                .body(Map.of("title", purpose, "description", "system test purpose", "category", category,
                        "defaultLawfulBasis", basis))
                .put("/v1/purposes/" + purpose).then().statusCode(org.hamcrest.Matchers.either(
                        org.hamcrest.Matchers.is(200)).or(org.hamcrest.Matchers.is(201)));
    }

    void policyVersion(String tenant, String version) {
        as(Service.CONSENT, tenant, "admin")
                // The same values every time: announcing a version again is accepted only unchanged.
                .body(Map.of("effectiveAt", "2026-01-01T00:00:00Z", "material", false,
                        "summary", "system test policy"))
                .put("/v1/policy-versions/" + version).then().statusCode(org.hamcrest.Matchers.either(
                        org.hamcrest.Matchers.is(200)).or(org.hamcrest.Matchers.is(201)));
    }

    String consent(String tenant, String subjectId, String purpose, String decision, String basis, String version) {
        return as(Service.CONSENT, tenant, "app")
                .body(Map.of("subjectId", subjectId, "purpose", purpose, "decision", decision, "lawfulBasis", basis,
                        "policyVersion", version, "channel", "web"))
                .post("/v1/consents").then().statusCode(201).extract().path("consentId");
    }

    /** Messages the sending pipeline logs: {@code count} to {@code recipient}, sent {@code age} ago. */
    List<String> messages(String tenant, String recipient, int count, Duration age) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ids.add("<" + UUID.randomUUID() + "@" + tenant + ".example>");
        }
        return messages(tenant, recipient, ids, age);
    }

    /** Messages with these ids (unique per tenant), each with a body, to {@code recipient}, sent {@code age} ago. */
    List<String> messages(String tenant, String recipient, List<String> ids, Duration age) {
        List<Map<String, Object>> batch = new ArrayList<>();
        int count = ids.size();
        for (int i = 0; i < count; i++) {
            String id = ids.get(i);
            Map<String, Object> message = new LinkedHashMap<>();
            message.put("messageId", id);
            message.put("from", "news@" + tenant + ".example");
            message.put("to", List.of(recipient));
            message.put("subject", "Newsletter " + i);
            message.put("sentAt", Instant.now().minus(age).toString());
            message.put("headers", Map.of("X-Campaign", "spring"));
            message.put("body", "Hello, this is message " + i);
            batch.add(message);
            if (batch.size() == 1000 || i == count - 1) {
                as(Service.MAIL_LOG, tenant, "app").body(Map.of("messages", batch)).post("/v1/messages/batch")
                        .then().statusCode(201);
                batch = new ArrayList<>();
            }
        }
        return ids;
    }

    /** A rights request the app vouches for (the person is logged in): verified at once. */
    String verifiedRequest(String tenant, String type, String subjectId, String email) {
        return as(Service.REQUEST, tenant, "app")
                .body(Map.of("type", type, "subjectId", subjectId, "contactEmail", email, "regulation", "gdpr",
                        "identityVerified", true, "verifiedBy", "app-session"))
                .post("/v1/requests").then().statusCode(201).extract().path("requestId");
    }

    Response request(String tenant, String requestId) {
        return as(Service.REQUEST, tenant, "operator").get("/v1/requests/" + requestId);
    }

    void awaitStatus(String tenant, String requestId, String status) {
        await().atMost(COMPLETION).pollInterval(Duration.ofMillis(500))
                .until(() -> status.equals(request(tenant, requestId).then().extract().path("status")));
    }

    /** Whether the system is on retention-service's data map (a store registers itself when it starts). */
    boolean onDataMap(String system) {
        return as(Service.RETENTION, "platform", "admin").get("/v1/systems/" + system).statusCode() == 200;
    }

    /** The erasure certificate, after checking its Ed25519 signature with the service's published key. */
    Map<String, Object> verifiedCertificate(String tenant, String requestId) throws Exception {
        Map<String, Object> certificate = as(Service.RETENTION, tenant, "operator")
                .get("/v1/requests/" + requestId + "/certificate").then().statusCode(200).extract().as(Map.class);
        if (!verifies(certificate)) {
            throw new AssertionError("certificate signature does not verify: " + certificate);
        }
        return certificate;
    }

    /**
     * Whether the certificate's signature verifies over its canonical form (sorted keys, no whitespace), with the
     * published key its {@code keyId} names.
     */
    boolean verifies(Map<String, Object> certificate) throws Exception {
        List<Map<String, String>> keys = RestAssured.given().baseUri(platform.url(Service.RETENTION))
                .get("/v1/certificates/keys").then().statusCode(200).extract().path("keys");
        String publicKey = keys.stream().filter(k -> k.get("keyId").equals(certificate.get("keyId")))
                .map(k -> k.get("publicKey")).findFirst()
                .orElseThrow(() -> new AssertionError("no published key " + certificate.get("keyId")));
        Map<String, Object> signed = new LinkedHashMap<>(certificate);
        byte[] signature = Base64.getDecoder().decode((String) signed.remove("signature"));
        PublicKey key = KeyFactory.getInstance("Ed25519")
                .generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(publicKey)));
        Signature verifier = Signature.getInstance("Ed25519");
        verifier.initVerify(key);
        verifier.update(CANONICAL.writeValueAsString(signed).getBytes(StandardCharsets.UTF_8));
        return verifier.verify(signature);
    }

    /** Every event on {@code topic} whose payload decodes as {@code type}. */
    <T> List<T> events(String topic, Class<T> type) {
        List<T> events = new ArrayList<>();
        platform.kafka().readAll(topic).forEach(record -> {
            try {
                events.add(CODEC.decode(EventEnvelope.fromRecord(record), type));
            } catch (InvalidEventException e) {
                // another type on this topic, or poison a scenario put there
            } catch (SubjectErasedException e) {
                // an erased subject's event: its data key is destroyed (crypto-shredding), as every consumer sees it
            }
        });
        return events;
    }
}
