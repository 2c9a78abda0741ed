package io.privacyplatform.support.deadletter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;

import io.privacyplatform.events.EventCodec;
import io.privacyplatform.events.EventEnvelope;
import io.privacyplatform.events.Topics;
import io.privacyplatform.events.payload.Notification;
import io.privacyplatform.support.testapp.NotificationFaults;
import io.privacyplatform.testing.PlatformTestResource;
import io.privacyplatform.testing.TestDatabase;
import io.privacyplatform.testing.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;

@QuarkusTest
class DeadLetterResourceTests {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String DLQ = Topics.deadLetterOf(Topics.NOTIFICATION);
    private final EventCodec codec = new EventCodec();

    @Test
    void shouldListARejectedRecordWithItsReasonAndReplayItOnceTheCauseIsFixed() {
        String key = "dlq-" + UUID.randomUUID();
        EventEnvelope rejected = envelope(key, NotificationFaults.REJECTED_UNTIL_FIXED);
        NotificationFaults.rejectUntilFixed();
        try {
            PlatformTestResource.kafka().send(rejected.toRecord(Topics.NOTIFICATION));
            ConsumerRecord<String, byte[]> dead = await().atMost(WAIT).until(() -> deadLetter(rejected.id()),
                    Objects::nonNull);

            Map<String, Object> listed = findListed(rejected.id());
            assertThat(listed).containsEntry("partition", dead.partition())
                    .containsEntry("key", key)
                    .containsEntry("eventType", rejected.type())
                    .containsEntry("tenantId", "acme")
                    .doesNotContainKeys("value", "payload", "data");
            assertThat(((Number) listed.get("offset")).longValue()).isEqualTo(dead.offset());
            @SuppressWarnings("unchecked")
            Map<String, String> errors = (Map<String, String>) listed.get("errorHeaders");
            assertThat(errors.get("dead-letter-reason")).contains("rejects " + NotificationFaults.REJECTED_UNTIL_FIXED);
            assertThat(errors).containsEntry("dead-letter-topic", Topics.NOTIFICATION)
                    .containsKeys("dead-letter-partition", "dead-letter-offset");
            assertThat(effects(rejected.id())).isZero();

            NotificationFaults.fix();
            String body = "{\"topic\":\"" + DLQ + "\",\"records\":[{\"partition\":" + dead.partition()
                    + ",\"offset\":" + dead.offset() + "}]}";
            platformAdmin().contentType(ContentType.JSON).body(body).post("/v1/admin/dead-letters/replay")
                    .then().statusCode(200)
                    .body("replayed", hasSize(1))
                    .body("replayed[0].eventId", equalTo(rejected.id()))
                    .body("replayed[0].originalTopic", equalTo(Topics.NOTIFICATION));
            await().atMost(WAIT).until(() -> effects(rejected.id()) == 1);

            // A second replay of the same record has no second effect: the inbox knows its ce_id.
            platformAdmin().contentType(ContentType.JSON).body(body).post("/v1/admin/dead-letters/replay")
                    .then().statusCode(200);
            EventEnvelope after = envelope(key, "after_replay");
            PlatformTestResource.kafka().send(after.toRecord(Topics.NOTIFICATION));
            await().atMost(WAIT).until(() -> effects(after.id()) == 1);
            assertThat(effects(rejected.id())).isEqualTo(1);
            ConsumerRecord<String, byte[]> republished = PlatformTestResource.kafka().readAll(Topics.NOTIFICATION)
                    .stream().filter(r -> rejected.id().equals(header(r, "ce_id"))).reduce((a, b) -> b).orElseThrow();
            assertThat(republished.key()).isEqualTo(key);
            assertThat(republished.value()).isEqualTo(dead.value());
            assertThat(header(republished, "ce_tenantid")).isEqualTo("acme");
            assertThat(republished.headers()).noneMatch(h -> h.key().startsWith("dead-letter-"));
        } finally {
            NotificationFaults.fix();
        }
    }

    @Test
    void shouldRefuseEveryoneButAPlatformAdmin() {
        String replay = "{\"topic\":\"" + DLQ + "\",\"records\":[{\"partition\":0,\"offset\":0}]}";
        for (String token : List.of(TestTokens.bearer("acme", "admin"), TestTokens.bearer("platform", "operator"),
                TestTokens.bearer("platform", "app"))) {
            RestAssured.given().header("Authorization", token).queryParam("topic", DLQ)
                    .get("/v1/admin/dead-letters").then().statusCode(403).body("error.code", org.hamcrest.Matchers.notNullValue());
            RestAssured.given().header("Authorization", token).contentType(ContentType.JSON).body(replay)
                    .post("/v1/admin/dead-letters/replay").then().statusCode(403);
        }
        RestAssured.given().queryParam("topic", DLQ).get("/v1/admin/dead-letters").then().statusCode(401)
                .body("error.code", equalTo("unauthorized"));
    }

    @Test
    void shouldRejectATopicThatIsNoDeadLetterTopicOfThisServiceAndMalformedRequests() {
        for (String topic : List.of(Topics.NOTIFICATION, Topics.deadLetterOf(Topics.RIGHTS_REQUEST), "")) {
            platformAdmin().queryParam("topic", topic).get("/v1/admin/dead-letters").then().statusCode(400)
                    .body("error.code", equalTo("validation_failed"))
                    .body("error.details[0].field", equalTo("topic"));
        }
        platformAdmin().get("/v1/admin/dead-letters").then().statusCode(400);
        platformAdmin().queryParam("topic", DLQ).queryParam("limit", 0).get("/v1/admin/dead-letters").then()
                .statusCode(400).body("error.details[0].field", equalTo("limit"));
        platformAdmin().queryParam("topic", DLQ).queryParam("cursor", "bm90LWEtY3Vyc29y")
                .get("/v1/admin/dead-letters").then().statusCode(400).body("error.details[0].field", equalTo("cursor"));

        replay("{\"topic\":\"" + Topics.NOTIFICATION + "\",\"records\":[{\"partition\":0,\"offset\":0}]}")
                .then().statusCode(400).body("error.details[0].field", equalTo("topic"));
        replay("{\"topic\":\"" + DLQ + "\",\"records\":[]}").then().statusCode(400)
                .body("error.details[0].field", equalTo("records"));
        replay("{\"topic\":\"" + DLQ + "\",\"records\":[{\"partition\":-1,\"offset\":0}]}").then().statusCode(400)
                .body("error.details[0].field", equalTo("records[0].partition"));
        replay("{\"topic\":\"" + DLQ + "\",\"records\":[{\"partition\":0,\"offset\":0},{\"partition\":0,\"offset\":0}]}")
                .then().statusCode(400).body("error.details[0].field", equalTo("records[1]"));
        replay("{\"topic\":\"" + DLQ + "\",\"records\":[{\"partition\":0,\"offset\":0}],\"extra\":1}")
                .then().statusCode(400);
        // An offset far beyond the end names no record: nothing is replayed.
        replay("{\"topic\":\"" + DLQ + "\",\"records\":[{\"partition\":0,\"offset\":" + Long.MAX_VALUE / 2 + "}]}")
                .then().statusCode(404).body("error.details[0].field", equalTo("records[0]"));
        replay("{\"topic\":\"" + DLQ + "\",\"records\":[{\"partition\":7,\"offset\":0}]}")
                .then().statusCode(404);
    }

    @Test
    void shouldPageThroughTheDeadLetterTopicWithoutRepeatingARecord() {
        String key = "dlq-page-" + UUID.randomUUID();
        for (int i = 0; i < 3; i++) {
            PlatformTestResource.kafka().send(new org.apache.kafka.clients.producer.ProducerRecord<>(
                    Topics.NOTIFICATION, key, ("poison " + i).getBytes(StandardCharsets.UTF_8)));
        }
        await().atMost(WAIT).until(() -> PlatformTestResource.kafka().readAll(DLQ).stream()
                .filter(r -> key.equals(r.key())).count() == 3);
        List<String> seen = new java.util.ArrayList<>();
        String cursor = null;
        do {
            RequestSpecification request = platformAdmin().queryParam("topic", DLQ).queryParam("limit", 2);
            if (cursor != null) {
                request.queryParam("cursor", cursor);
            }
            JsonPath page = request.get("/v1/admin/dead-letters").then().statusCode(200).extract().jsonPath();
            assertThat(page.getList("items")).hasSizeLessThanOrEqualTo(2);
            List<Map<String, Object>> items = page.getList("items");
            items.forEach(item -> seen.add(item.get("partition") + "@" + item.get("offset")));
            cursor = page.getString("nextCursor");
        } while (cursor != null);
        assertThat(seen).doesNotHaveDuplicates()
                .hasSize(PlatformTestResource.kafka().readAll(DLQ).size());
    }

    private Map<String, Object> findListed(String eventId) {
        String cursor = null;
        do {
            RequestSpecification request = platformAdmin().queryParam("topic", DLQ).queryParam("limit", 200);
            if (cursor != null) {
                request.queryParam("cursor", cursor);
            }
            JsonPath page = request.get("/v1/admin/dead-letters").then().statusCode(200).extract().jsonPath();
            List<Map<String, Object>> items = page.getList("items");
            for (Map<String, Object> item : items) {
                if (eventId.equals(item.get("eventId"))) {
                    return item;
                }
            }
            cursor = page.getString("nextCursor");
        } while (cursor != null);
        throw new AssertionError("event " + eventId + " not listed on " + DLQ);
    }

    private static io.restassured.response.Response replay(String body) {
        return platformAdmin().contentType(ContentType.JSON).body(body).post("/v1/admin/dead-letters/replay");
    }

    private static RequestSpecification platformAdmin() {
        return RestAssured.given().header("Authorization", TestTokens.bearer("platform", "admin"));
    }

    private static ConsumerRecord<String, byte[]> deadLetter(String eventId) {
        return PlatformTestResource.kafka().readAll(DLQ).stream().filter(r -> eventId.equals(header(r, "ce_id")))
                .findFirst().orElse(null);
    }

    private EventEnvelope envelope(String key, String kind) {
        Notification payload = new Notification(UUID.randomUUID().toString(), "acme", kind, null, null, null,
                Map.of(), Instant.now());
        return codec.envelope("/tests", "acme", key, payload);
    }

    private static String header(ConsumerRecord<String, byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static long effects(String eventId) {
        return TestDatabase.count("SELECT count(*) FROM notification_effect WHERE event_id = ?", eventId);
    }
}
