package io.privacyplatform.retention;

import static io.restassured.RestAssured.given;

import java.security.KeyPair;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;

import io.privacyplatform.events.Ed25519Keys;
import io.privacyplatform.events.EventCodec;
import io.privacyplatform.events.EventEnvelope;
import io.privacyplatform.events.EventSignature;
import io.privacyplatform.events.SubjectPseudonym;
import io.privacyplatform.events.Topics;
import io.privacyplatform.events.keys.JdbcSubjectKeys;
import io.privacyplatform.events.keys.SubjectErasedException;
import io.privacyplatform.events.payload.CommandAck;
import io.privacyplatform.events.payload.Notification;
import io.privacyplatform.events.payload.PrivacyCommand;
import io.privacyplatform.events.payload.RequestProgress;
import io.privacyplatform.events.payload.RightsRequestChanged;
import io.privacyplatform.testing.PlatformTestResource;
import io.privacyplatform.testing.TestDatabase;
import io.privacyplatform.testing.TestKeyStore;
import io.privacyplatform.testing.TestTokens;
import io.restassured.http.ContentType;

/** Shared steps of this module's tests: the data map, injected events, and what reached the topics. */
public final class RetentionFixtures {

    public static final String PLATFORM_ADMIN = TestTokens.bearer("platform", "admin");
    public static final SubjectPseudonym PSEUDONYM = SubjectPseudonym.fromSecret(
            "test-only-pseudonym-secret-0123456789");
    // With the key store the services under test use: their events' personal fields are sealed.
    public static final EventCodec CODEC = new EventCodec(Clock.systemUTC(),
            JdbcSubjectKeys.fromSettings(TestKeyStore.settings()));
    /**
     * The test stores' ack signing key, made for this JVM: {@link #registerSystem} registers its public half for
     * every system, {@link SimulatedStore} signs with it, and {@link #send} signs every injected event with it.
     */
    public static final KeyPair STORE_KEYS = Ed25519Keys.generate();
    public static final String STORE_PUBLIC_KEY = Ed25519Keys.publicKeyBase64(STORE_KEYS.getPublic());
    private static final EventSignature STORE_SIGNATURE = new EventSignature("tests", STORE_KEYS.getPrivate());

    private RetentionFixtures() {
    }

    /** Each test starts with an empty data map and no open commands of earlier tests (systems are platform-wide). */
    public static void resetDataMap() {
        TestDatabase.execute("UPDATE subject_command SET state = 'done', next_attempt_at = NULL"
                + " WHERE state IN ('sent', 'retry', 'stuck')");
        TestDatabase.execute("DELETE FROM data_system");
    }

    /**
     * A platform admin's decision that the policy, as defined now, may PURGE every account (without one a run sends
     * nothing); returns the decision id.
     */
    public static String approvePurge(String policyId) {
        String digest = given().header("Authorization", PLATFORM_ADMIN).get("/v1/policies/{id}", policyId)
                .then().statusCode(200).extract().path("definitionDigest");
        return given().header("Authorization", PLATFORM_ADMIN).contentType(ContentType.JSON)
                .body(Map.of("reason", "test: retention required by the platform's policy", "definitionDigest",
                        digest))
                .post("/v1/policies/{id}/approval", policyId)
                .then().statusCode(201).extract().path("decisionId");
    }

    /**
     * The published public key (base64 X.509) with this id, as a holder of a certificate finds it: the certificate's
     * {@code keyId} picks it from {@code GET /v1/certificates/keys}, current or retired.
     */
    public static String publishedKey(Object keyId) {
        List<Map<String, String>> keys = given().get("/v1/certificates/keys").then().statusCode(200).extract()
                .path("keys");
        return keys.stream().filter(k -> k.get("keyId").equals(keyId)).map(k -> k.get("publicKey")).findFirst()
                .orElseThrow(() -> new AssertionError("no published key " + keyId + " in " + keys));
    }

    public static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    public static void registerSystem(String id, List<String> categories, List<String> capabilities,
            String ackTimeout) {
        given().header("Authorization", PLATFORM_ADMIN).contentType(ContentType.JSON)
                .body(Map.of("description", "test store", "owner", "tests", "region", "EEA",
                        "categories", categories, "capabilities", capabilities, "ackTimeout", ackTimeout,
                        "ackPublicKey", STORE_PUBLIC_KEY))
                .put("/v1/systems/{id}", id)
                .then().statusCode(201);
    }

    /** A system that finds subjects by {@code identifiers} ({@code subjectId}, {@code email}). */
    public static void registerSystem(String id, List<String> categories, List<String> capabilities,
            List<String> identifiers) {
        given().header("Authorization", PLATFORM_ADMIN).contentType(ContentType.JSON)
                .body(Map.of("description", "test store", "owner", "tests", "region", "EEA",
                        "categories", categories, "capabilities", capabilities, "ackTimeout", "PT30S",
                        "identifiers", identifiers, "ackPublicKey", STORE_PUBLIC_KEY))
                .put("/v1/systems/{id}", id)
                .then().statusCode(201);
    }

    /** The same verification without a contact address: the request has only the subject id. */
    public static RightsRequestChanged withoutEmail(RightsRequestChanged r) {
        return new RightsRequestChanged(r.requestId(), r.tenantId(), r.type(), r.status(), r.previousStatus(),
                r.subjectId(), null, r.regulation(), r.receivedAt(), r.dueAt(), r.rectification(),
                r.controllerTenantId(), r.reason(), r.occurredAt());
    }

    /** A later transition of a verified request, as request-service publishes it ({@code of} keeps the address on
     * {@code identifiers_added} only). */
    public static RightsRequestChanged followUp(RightsRequestChanged verified, String status, String contactEmail) {
        Instant now = Instant.now();
        return RightsRequestChanged.of(verified.requestId(), verified.tenantId(), verified.type(), status,
                RightsRequestChanged.ACTION_REQUIRED, verified.subjectId(), contactEmail, verified.regulation(),
                verified.receivedAt(), verified.dueAt(), Map.of(), null, "operator", now);
    }

    public static RightsRequestChanged verified(String tenant, String type, String subjectId) {
        Instant now = Instant.now();
        return new RightsRequestChanged(UUID.randomUUID().toString(), tenant, type, RightsRequestChanged.VERIFIED,
                RightsRequestChanged.SUBMITTED, subjectId, subjectId + "@example.com", "GDPR", now,
                now.plusSeconds(30L * 24 * 3600), Map.of(), null, null, now);
    }

    public static EventEnvelope envelope(RightsRequestChanged request) {
        return CODEC.envelope("/services/request-service", request.tenantId(),
                PSEUDONYM.of(request.tenantId(), request.subjectId()), request);
    }

    public static EventEnvelope ackEnvelope(CommandAck ack, String tenant, String key) {
        return CODEC.envelope("/stores/" + ack.system(), tenant, key, ack);
    }

    /** Publishes the events signed with {@link #STORE_KEYS}, as the test stores sign their acks. */
    public static void send(String topic, EventEnvelope... envelopes) {
        PlatformTestResource.kafka().send(Arrays.stream(envelopes).map(e -> signed(e, topic, STORE_SIGNATURE))
                .toArray(ProducerRecord[]::new));
    }

    /** Publishes the event as it is, with the signature of {@code signature} (null: unsigned). */
    public static void sendSignedBy(EventSignature signature, String topic, EventEnvelope envelope) {
        PlatformTestResource.kafka().send(signature == null ? envelope.toRecord(topic)
                : signed(envelope, topic, signature));
    }

    private static ProducerRecord<String, byte[]> signed(EventEnvelope envelope, String topic,
            EventSignature signature) {
        ProducerRecord<String, byte[]> record = envelope.toRecord(topic);
        signature.signInto(envelope, record.headers());
        return record;
    }

    /** The readable commands on the topic for a request or a system (not those of subjects erased since). */
    public static List<PrivacyCommand> commandsOn(String requestOrSystem) {
        return PlatformTestResource.kafka().readAll(Topics.COMMAND).stream()
                .flatMap(r -> readable(r, PrivacyCommand.class).stream())
                .filter(c -> requestOrSystem.equals(c.requestId()) || requestOrSystem.equals(c.targetSystem()))
                .toList();
    }

    /**
     * The record's event, or nothing when its subject's data key was destroyed since (an erasure completed): every
     * consumer skips such an event, and so do the tests that read a topic from its beginning.
     */
    public static <T> Optional<T> readable(ConsumerRecord<String, byte[]> record, Class<T> type) {
        try {
            return Optional.of(CODEC.decode(EventEnvelope.fromRecord(record), type));
        } catch (SubjectErasedException e) {
            return Optional.empty();
        }
    }

    public static List<RequestProgress> progressOf(String requestId) {
        return PlatformTestResource.kafka().readAll(Topics.REQUEST_PROGRESS).stream()
                .map(r -> CODEC.decode(EventEnvelope.fromRecord(r), RequestProgress.class))
                .filter(p -> requestId.equals(p.requestId()))
                .toList();
    }

    public static List<ConsumerRecord<String, byte[]>> progressRecordsOf(String requestId) {
        return PlatformTestResource.kafka().readAll(Topics.REQUEST_PROGRESS).stream()
                .filter(r -> requestId.equals(
                        CODEC.decode(EventEnvelope.fromRecord(r), RequestProgress.class).requestId()))
                .toList();
    }

    public static List<Notification> notificationsOf(String requestId) {
        return PlatformTestResource.kafka().readAll(Topics.NOTIFICATION).stream()
                .map(r -> CODEC.decode(EventEnvelope.fromRecord(r), Notification.class))
                .filter(n -> requestId.equals(n.requestId()))
                .toList();
    }

    public static String requestState(String requestId) {
        List<Map<String, Object>> rows = TestDatabase.rows("SELECT state FROM rights_request WHERE request_id = ?",
                requestId);
        return rows.isEmpty() ? null : (String) rows.get(0).get("state");
    }
}
