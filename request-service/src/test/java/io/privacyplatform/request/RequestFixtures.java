package io.privacyplatform.request;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;

import io.privacyplatform.events.EventCodec;
import io.privacyplatform.events.EventEnvelope;
import io.privacyplatform.events.Topics;
import io.privacyplatform.events.keys.JdbcSubjectKeys;
import io.privacyplatform.events.payload.Notification;
import io.privacyplatform.events.payload.RequestProgress;
import io.privacyplatform.events.payload.RequestProgress.SystemProgress;
import io.privacyplatform.events.payload.RightsRequestChanged;
import io.privacyplatform.testing.MutableClock;
import io.privacyplatform.testing.PlatformTestResource;
import io.privacyplatform.testing.TestKeyStore;
import io.privacyplatform.testing.TestTokens;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;

/** Submitting requests, reading what went out on Kafka and putting events on topics, for the tests. */
public final class RequestFixtures {

    public static final Duration WAIT = Duration.ofSeconds(30);
    // With the key store the services under test use: their events' personal fields are sealed.
    public static final EventCodec CODEC = new EventCodec(Clock.systemUTC(),
            JdbcSubjectKeys.fromSettings(TestKeyStore.settings()));

    private RequestFixtures() {
    }

    public static MutableClock clock() {
        return MutableClock.shared();
    }

    public static Map<String, Object> body(String type, String subjectId) {
        Map<String, Object> body = new HashMap<>();
        body.put("type", type);
        body.put("subjectId", subjectId);
        body.put("contactEmail", "jane.doe@example.com");
        return body;
    }

    public static Map<String, Object> verifiedBody(String type, String subjectId) {
        Map<String, Object> body = body(type, subjectId);
        body.put("identityVerified", true);
        body.put("verifiedBy", "app-session");
        return body;
    }

    public static ValidatableResponse submit(String tenant, Map<String, Object> body) {
        return given().header("Authorization", TestTokens.bearer(tenant, "app")).contentType(ContentType.JSON)
                .body(body).post("/v1/requests").then();
    }

    /** Submits and answers the new request's id (asserting 201). */
    public static String submitted(String tenant, Map<String, Object> body) {
        return submit(tenant, body).statusCode(201).extract().path("requestId");
    }

    public static ValidatableResponse get(String tenant, String id) {
        return given().header("Authorization", TestTokens.bearer(tenant, "operator")).get("/v1/requests/" + id)
                .then();
    }

    public static ValidatableResponse post(String tenant, String role, String path, Object body) {
        var request = given().header("Authorization", TestTokens.bearer(tenant, role));
        if (body != null) {
            request = request.contentType(ContentType.JSON).body(body);
        }
        return request.post(path).then();
    }

    /** The RightsRequestChanged events of one request on the topic, in order (waits for {@code atLeast}). */
    public static List<RightsRequestChanged> changes(String requestId, int atLeast) {
        return await().atMost(WAIT).until(() -> PlatformTestResource.kafka().readAll(Topics.RIGHTS_REQUEST).stream()
                .map(RequestFixtures::changeOf).filter(c -> c.requestId().equals(requestId)).toList(),
                list -> list.size() >= atLeast);
    }

    public static List<ConsumerRecord<String, byte[]>> changeRecords(String requestId) {
        return PlatformTestResource.kafka().readAll(Topics.RIGHTS_REQUEST).stream()
                .filter(r -> changeOf(r).requestId().equals(requestId)).toList();
    }

    public static RightsRequestChanged changeOf(ConsumerRecord<String, byte[]> record) {
        return CODEC.decode(EventEnvelope.fromRecord(record), RightsRequestChanged.class);
    }

    public static List<Notification> notifications(String requestId, int atLeast) {
        return await().atMost(WAIT).until(() -> PlatformTestResource.kafka().readAll(Topics.NOTIFICATION).stream()
                .map(r -> CODEC.decode(EventEnvelope.fromRecord(r), Notification.class))
                .filter(n -> requestId.equals(n.requestId())).toList(), list -> list.size() >= atLeast);
    }

    /** retention-service's report on a request, as it puts it on privacy.request.progress.v1. */
    public static EventEnvelope progress(String tenant, String key, String requestId, String state, Instant at,
            SystemProgress... systems) {
        return CODEC.envelope("/services/retention-service", tenant, key,
                new RequestProgress(requestId, tenant, state, List.of(systems), at));
    }

    public static void publish(String topic, EventEnvelope... envelopes) {
        PlatformTestResource.kafka().send(Arrays.stream(envelopes).map(e -> e.toRecord(topic))
                .toArray(ProducerRecord[]::new));
    }

    /**
     * Takes a verified export request to {@code completed} the way retention-service and a store do on the topics:
     * the report that the store was sent an EXPORT command, the store's ack with {@code data}, the report that every
     * store is done; waits until the request is completed.
     */
    public static void completeWithExport(String tenant, String key, String requestId, String system,
            com.fasterxml.jackson.databind.JsonNode data, Instant at) {
        String command = UUID.randomUUID().toString();
        publish(Topics.REQUEST_PROGRESS, progress(tenant, key, requestId, "in_progress", at,
                new SystemProgress(system, command, "EXPORT", "sent", null, 0, null, null, 1, at)));
        publish(Topics.COMMAND_ACK, CODEC.envelope("/stores/" + system, tenant, key,
                new io.privacyplatform.events.payload.CommandAck(command, system, tenant, requestId,
                        io.privacyplatform.events.payload.AckOutcome.DONE, data.size(), null, null, data, at)));
        await().atMost(WAIT).until(() -> io.privacyplatform.testing.TestDatabase.count(
                "SELECT count(*) FROM export_part WHERE request_id = ?", UUID.fromString(requestId)) == 1);
        Instant done = at.plusSeconds(60);
        publish(Topics.REQUEST_PROGRESS, progress(tenant, key, requestId, "completed", done,
                new SystemProgress(system, command, "EXPORT", "done",
                        io.privacyplatform.events.payload.AckOutcome.DONE, data.size(), null, null, 1, done)));
        await().atMost(WAIT).untilAsserted(() -> get(tenant, requestId).statusCode(200)
                .body("status", org.hamcrest.Matchers.equalTo("completed")));
    }

    public static String subject() {
        return "subj-" + UUID.randomUUID();
    }

    public static Instant at(String iso) {
        return Instant.parse(iso);
    }
}
