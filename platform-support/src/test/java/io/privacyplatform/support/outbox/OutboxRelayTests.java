package io.privacyplatform.support.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;

import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.privacyplatform.events.EventCodec;
import io.privacyplatform.events.Ed25519Keys;
import io.privacyplatform.events.EventEnvelope;
import io.privacyplatform.events.EventSignature;
import io.privacyplatform.events.InvalidEventException;
import io.privacyplatform.events.keys.SubjectErasedException;
import io.privacyplatform.events.SubjectPseudonym;
import io.privacyplatform.events.Topics;
import io.privacyplatform.events.payload.Notification;
import io.privacyplatform.support.kafka.KafkaClientProperties;
import io.privacyplatform.support.security.ServiceSigningKey;
import io.privacyplatform.support.testapp.WidgetService;
import io.privacyplatform.testing.PlatformTestResource;
import io.privacyplatform.testing.TestDatabase;
import io.privacyplatform.testing.TestTokens;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;

@QuarkusTest
class OutboxRelayTests {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Inject
    WidgetService widgets;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    OutboxConfig config;

    @Inject
    KafkaClientProperties kafkaClients;

    @Inject
    EventCodec codec;

    @Inject
    Outbox outbox;

    @Inject
    SubjectPseudonym pseudonym;

    @Inject
    MeterRegistry registry;

    @Inject
    ServiceSigningKey signingKey;

    @Test
    void shouldPublishEventCommittedWithItsStateChange() {
        String name = "first-" + UUID.randomUUID();
        String eventId = RestAssured.given()
                .header("Authorization", TestTokens.bearer("acme", "app"))
                .contentType(ContentType.JSON)
                .body("{\"name\":\"" + name + "\"}")
                .post("/widgets")
                .then().statusCode(201)
                .extract().path("eventId");

        ConsumerRecord<String, byte[]> record = await().atMost(WAIT)
                .until(() -> find(eventId), Objects::nonNull);
        assertThat(header(record, "ce_specversion")).isEqualTo("1.0");
        assertThat(header(record, "ce_type")).isEqualTo("io.privacyplatform.notification.v1");
        assertThat(header(record, "ce_source")).isEqualTo("/services/support-test");
        assertThat(header(record, "ce_tenantid")).isEqualTo("acme");
        assertThat(header(record, "content-type")).isEqualTo("application/json");
        assertThat(codec.decode(EventEnvelope.fromRecord(record), Notification.class).kind())
                .isEqualTo("widget_created");
        assertThat(header(record, EventSignature.HEADER_SIGNER)).isEqualTo("support-test");
        assertThatCode(() -> EventSignature.verify(EventEnvelope.fromRecord(record), record.headers(),
                Ed25519Keys.publicKeyFromBase64(signingKey.publicKeyBase64())))
                .as("signed with this service's key").doesNotThrowAnyException();
        assertThat(TestDatabase.count("SELECT count(*) FROM widget WHERE name = ? AND tenant_id = 'acme'", name))
                .isEqualTo(1);
        await().atMost(WAIT).until(() -> TestDatabase.count(
                "SELECT count(*) FROM outbox_event WHERE event_id = ? AND sent_at IS NOT NULL", eventId) == 1);
    }

    @Test
    void shouldPublishNothingForRolledBackTransaction() {
        String run = UUID.randomUUID().toString();
        RestAssured.given()
                .header("Authorization", TestTokens.bearer("acme", "app"))
                .contentType(ContentType.JSON)
                .body("{\"name\":\"" + WidgetService.FAIL_AFTER_PUBLISH + "\",\"owner\":\"" + run + "\"}")
                .post("/widgets")
                .then().statusCode(409);
        // The same key follows, so it lands after the rolled-back event would have, in the same partition.
        String later = widgets.create("acme", run, "after-rollback", Map.of("run", run)).eventId();

        await().atMost(WAIT).until(() -> find(later), Objects::nonNull);
        assertThat(TestDatabase.count("SELECT count(*) FROM widget WHERE name = ?",
                WidgetService.FAIL_AFTER_PUBLISH)).isZero();
        List<EventEnvelope> sameKey = envelopes(Topics.NOTIFICATION).stream()
                .filter(e -> e.tenantId().equals("acme") && e.key().equals(keyOf(later))).toList();
        assertThat(sameKey).extracting(EventEnvelope::id).containsExactly(later);
    }

    @Test
    void shouldLoseNothingAndKeepPerKeyOrderWhenBrokerRestartsMidStream() {
        String run = UUID.randomUUID().toString();
        List<String> owners = List.of("a-" + run, "b-" + run, "c-" + run);
        List<String> written = Collections.synchronizedList(new ArrayList<>());
        int seq = 0;
        for (; seq < 9; seq++) {
            written.add(createNumbered(run, owners.get(seq % 3), seq));
        }
        await().atMost(WAIT).until(() -> ofRun(run).size() == 9);

        PlatformTestResource.kafka().stopBroker();
        try {
            for (; seq < 21; seq++) {
                written.add(createNumbered(run, owners.get(seq % 3), seq));
            }
            // Committed while the broker is down: all waiting in the outbox, none lost.
            assertThat(TestDatabase.count("SELECT count(*) FROM outbox_event WHERE sent_at IS NULL"
                    + " AND event_id = ANY (?)", (Object) written.subList(9, 21).toArray(new String[0])))
                    .isEqualTo(12);
        } finally {
            PlatformTestResource.kafka().startBroker();
        }
        for (; seq < 30; seq++) {
            written.add(createNumbered(run, owners.get(seq % 3), seq));
        }

        await().atMost(Duration.ofSeconds(60)).until(() -> firstCopies(ofRun(run)).size() >= 30);
        // Delivery is at least once: a batch the broker wrote but did not confirm before it stopped is sent again
        // (consumers deduplicate by event id). What must hold is that nothing is lost and that, per key, the
        // first copies arrive in the order the events were committed.
        List<EventEnvelope> received = firstCopies(ofRun(run));
        assertThat(received).extracting(EventEnvelope::id).containsExactlyInAnyOrderElementsOf(written);
        Map<String, List<Integer>> perKey = received.stream().collect(Collectors.groupingBy(EventEnvelope::key,
                Collectors.mapping(e -> Integer.valueOf(params(e).get("seq")), Collectors.toList())));
        assertThat(perKey).hasSize(3);
        perKey.values().forEach(sequence -> assertThat(sequence).isSorted().hasSize(10));
    }

    @Test
    void shouldPublishEachRowOnceWhenSeveralRelaysRunAtOnce() throws Exception {
        String run = UUID.randomUUID().toString();
        List<String> written = new ArrayList<>();
        for (int i = 0; i < 120; i++) {
            written.add(createNumbered(run, "owner-" + (i % 17) + "-" + run, i));
        }
        // Two more relays beside the application's own, racing over the same rows.
        ExecutorService pool = Executors.newFixedThreadPool(2);
        List<OutboxRelay> relays = List.of(relay("test-relay-1"), relay("test-relay-2"));
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (OutboxRelay relay : relays) {
                results.add(pool.submit(() -> {
                    int total = 0;
                    for (int i = 0; i < 20; i++) {
                        try {
                            total += relay.relayOnce();
                        } catch (OutboxRelay.OutboxRelayException e) {
                            // A Kafka transaction can fail under load (seen: InvalidTxnStateException on a busy
                            // 2-core machine); its rows stay pending for the next try. What this test checks is
                            // that every row arrives exactly once, whoever publishes it.
                        }
                    }
                    return total;
                }));
            }
            for (Future<Integer> result : results) {
                result.get();
            }
        } finally {
            pool.shutdownNow();
            relays.forEach(OutboxRelay::close);
        }
        await().atMost(WAIT).until(() -> TestDatabase.count(
                "SELECT count(*) FROM outbox_event WHERE sent_at IS NULL AND event_id = ANY (?)",
                (Object) written.toArray(new String[0])) == 0);

        List<EventEnvelope> received = ofRun(run);
        assertThat(received).extracting(EventEnvelope::id).containsExactlyInAnyOrderElementsOf(written);
        assertThat(received.stream().map(EventEnvelope::id).distinct().count()).isEqualTo(120);
    }

    @Test
    void shouldDeleteSensitiveRowAsSoonAsSentWhileOrdinaryRowStaysUntilThePrune() {
        String run = UUID.randomUUID().toString();
        String key = "owner-" + run;
        Instant now = Instant.now();
        String[] ids = QuarkusTransaction.requiringNew().call(() -> new String[] {
                outbox.publishSensitive("acme", key, new Notification(UUID.randomUUID().toString(), "acme",
                        "verification_code", "jane.doe@example.com", null, null,
                        Map.of("run", run, "sealed", "eyJhbGciOi..."), now)).id(),
                outbox.publish("acme", key, new Notification(UUID.randomUUID().toString(), "acme", "widget_created",
                        null, null, null, Map.of("run", run), now)).id() });
        String sensitive = ids[0];
        String ordinary = ids[1];

        await().atMost(WAIT).until(() -> find(sensitive) != null && find(ordinary) != null);
        await().atMost(WAIT).until(() -> TestDatabase.count(
                "SELECT count(*) FROM outbox_event WHERE event_id = ?", sensitive) == 0);
        assertThat(TestDatabase.count(
                "SELECT count(*) FROM outbox_event WHERE event_id = ? AND sent_at IS NOT NULL", ordinary))
                .isEqualTo(1);
        assertThat(ofRun(run)).extracting(EventEnvelope::id).containsExactly(sensitive, ordinary);
    }

    @Test
    void shouldSetAsideRowForUnknownTopicAfterMaxAttemptsAndPublishTheRowsBehindIt() {
        String topic = "privacy.no-such-topic-" + UUID.randomUUID() + ".v1";
        shouldSetAsideBadRowAndPublishTheRowsBehindIt(topic, "{}".getBytes(StandardCharsets.UTF_8),
                "UnknownTopicOrPartitionException");
    }

    @Test
    void shouldSetAsideOversizeRecordAfterMaxAttemptsAndPublishTheRowsBehindIt() {
        // Larger than the producer's max.request.size (1 MiB) and the broker's message.max.bytes.
        byte[] oversize = ("{\"padding\":\"" + "x".repeat(1_200_000) + "\"}").getBytes(StandardCharsets.UTF_8);
        shouldSetAsideBadRowAndPublishTheRowsBehindIt(Topics.NOTIFICATION, oversize, "RecordTooLargeException");
    }

    /**
     * A bad row first in its shard, then rows of the same key (so the same shard) behind it: they are published once
     * the bad row was rejected max-attempts times and set aside with its error, and the metrics count it.
     */
    private void shouldSetAsideBadRowAndPublishTheRowsBehindIt(String topic, byte[] payload, String error) {
        String run = UUID.randomUUID().toString();
        String owner = "owner-" + run;
        double setAsideBefore = setAsideCounter(topic);
        String bad = insertRow(topic, pseudonym.of("acme", owner), payload);
        List<String> behind = List.of(createNumbered(run, owner, 1), createNumbered(run, owner, 2));

        await().atMost(Duration.ofSeconds(90)).until(() -> firstCopies(ofRun(run)).size() == 2);
        assertThat(ofRun(run)).extracting(EventEnvelope::id).containsExactlyElementsOf(behind);
        Map<String, Object> row = TestDatabase.rows("SELECT rejected_attempts, last_error, set_aside_at, sent_at"
                + " FROM outbox_event WHERE event_id = ?", bad).get(0);
        assertThat(row.get("set_aside_at")).isNotNull();
        assertThat(row.get("sent_at")).isNull();
        assertThat(row.get("rejected_attempts")).isEqualTo(config.maxAttempts());
        assertThat((String) row.get("last_error")).contains(error);
        assertThat(setAsideCounter(topic) - setAsideBefore).isEqualTo(1.0);
        assertThat(registry.find("privacy.outbox.set.aside.rows").gauge().value()).isGreaterThanOrEqualTo(1.0);
        assertThat(find(bad)).isNull();
    }

    @Test
    void shouldSetNothingAsideWhileTheBrokerIsAway() {
        String run = UUID.randomUUID().toString();
        List<String> written = new ArrayList<>();
        PlatformTestResource.kafka().stopBroker();
        try {
            for (int seq = 0; seq < 3; seq++) {
                written.add(createNumbered(run, "owner-" + seq + "-" + run, seq));
            }
            // The relay tried (and failed) more often than a bad row may be rejected (or, wrongly, set one aside):
            // still nothing set aside.
            await().atMost(Duration.ofSeconds(90)).until(() -> TestDatabase.count(
                    "SELECT coalesce(max(attempts), 0) FROM outbox_event WHERE event_id = ANY (?)",
                    (Object) written.toArray(new String[0])) > config.maxAttempts()
                    || TestDatabase.count("SELECT count(*) FROM outbox_event WHERE event_id = ANY (?)"
                            + " AND set_aside_at IS NOT NULL", (Object) written.toArray(new String[0])) > 0);
            assertThat(TestDatabase.count("SELECT count(*) FROM outbox_event WHERE event_id = ANY (?)"
                    + " AND (set_aside_at IS NOT NULL OR rejected_attempts > 0)",
                    (Object) written.toArray(new String[0]))).isZero();
        } finally {
            PlatformTestResource.kafka().startBroker();
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> firstCopies(ofRun(run)).size() == 3);
        assertThat(TestDatabase.count("SELECT count(*) FROM outbox_event WHERE event_id = ANY (?)"
                + " AND sent_at IS NOT NULL AND set_aside_at IS NULL AND rejected_attempts = 0",
                (Object) written.toArray(new String[0]))).isEqualTo(3);
    }

    /**
     * Rows of many keys spread over several shards go out in ONE Kafka transaction per pass (not one per shard),
     * each key's rows in order. The rows are put in shards 8..15, which only this test's relay (16 shards) reads:
     * the application's relay (8 shards) cannot take them, so the count of Kafka commits is this relay's own.
     */
    @Test
    void shouldPublishEveryLockedShardInOneKafkaTransactionPerPassKeepingPerKeyOrder() throws Exception {
        String run = UUID.randomUUID().toString();
        List<String> written = new ArrayList<>();
        for (int seq = 0; seq < 5; seq++) {
            for (int shard = 8; shard < 16; shard++) {
                written.add(insertNumbered(run, "owner-" + shard + "-" + run, shard, seq));
            }
        }
        AtomicInteger commits = new AtomicInteger();
        OutboxRelay relay = relay("test-relay-pass", 16, 100, commits);
        try {
            assertThat(relay.relayOnce()).isGreaterThanOrEqualTo(40);
        } finally {
            relay.close();
        }
        assertThat(commits.get()).isEqualTo(1);
        assertThat(TestDatabase.count("SELECT count(*) FROM outbox_event WHERE sent_at IS NULL AND event_id = ANY (?)",
                (Object) written.toArray(new String[0]))).isZero();
        await().atMost(WAIT).until(() -> firstCopies(ofRun(run)).size() == 40);
        Map<String, List<Integer>> perKey = firstCopies(ofRun(run)).stream().collect(Collectors.groupingBy(
                EventEnvelope::key, Collectors.mapping(e -> Integer.valueOf(params(e).get("seq")),
                        Collectors.toList())));
        assertThat(perKey).hasSize(8);
        perKey.values().forEach(sequence -> assertThat(sequence).containsExactly(0, 1, 2, 3, 4));
    }

    /** A pass that filled its batch is followed by the next at once: one call publishes everything pending. */
    @Test
    void shouldRelayPassAfterPassWhileBatchesAreFull() throws Exception {
        String run = UUID.randomUUID().toString();
        List<String> written = new ArrayList<>();
        for (int seq = 0; seq < 25; seq++) {
            written.add(insertNumbered(run, "owner-" + run, 8 + seq % 8, seq));
        }
        AtomicInteger commits = new AtomicInteger();
        OutboxRelay relay = relay("test-relay-full", 16, 10, commits);
        try {
            assertThat(relay.relayOnce()).isGreaterThanOrEqualTo(25);
        } finally {
            relay.close();
        }
        assertThat(commits.get()).isGreaterThanOrEqualTo(3);
        assertThat(TestDatabase.count("SELECT count(*) FROM outbox_event WHERE sent_at IS NULL AND event_id = ANY (?)",
                (Object) written.toArray(new String[0]))).isZero();
    }

    /**
     * A row Kafka refuses stops its own shard only: in the same call the rows of the other shards go out (in a pass
     * without the refused row's shard), the refused row and the rows behind it in its shard stay pending.
     */
    @Test
    void shouldPublishOtherShardsWhenOneShardHasARejectedRow() throws Exception {
        String run = UUID.randomUUID().toString();
        String missingTopic = "privacy.no-such-topic-" + UUID.randomUUID() + ".v1";
        Notification event = new Notification(UUID.randomUUID().toString(), "acme", "widget_created", null, null,
                null, Map.of("run", run, "seq", "0"), Instant.now());
        String bad = insertRow(missingTopic, pseudonym.of("acme", "bad-" + run), 9, codec.encode(event));
        String behind = insertNumbered(run, "owner-9-" + run, 9, 1);
        List<String> others = List.of(insertNumbered(run, "owner-10-" + run, 10, 2),
                insertNumbered(run, "owner-11-" + run, 11, 3));
        OutboxRelay relay = relay("test-relay-reject", 16, 100, new AtomicInteger());
        try {
            assertThatThrownBy(relay::relayOnce).isInstanceOf(OutboxRelay.OutboxRelayException.class)
                    .hasMessageContaining("shard 9");
        } finally {
            relay.close();
        }
        assertThat(TestDatabase.count("SELECT count(*) FROM outbox_event WHERE sent_at IS NOT NULL"
                + " AND event_id = ANY (?)", (Object) others.toArray(new String[0]))).isEqualTo(2);
        assertThat(TestDatabase.rows("SELECT event_id, rejected_attempts, sent_at FROM outbox_event"
                + " WHERE event_id IN (?, ?) ORDER BY id", bad, behind)).extracting(row -> row.get("sent_at"))
                .containsExactly(null, null);
        assertThat(TestDatabase.count("SELECT rejected_attempts FROM outbox_event WHERE event_id = ?", bad))
                .isEqualTo(1);
        await().atMost(WAIT).until(() -> firstCopies(ofRun(run)).size() == 2);
        // Not left behind for the application's relay, which never reads shards 8..15.
        TestDatabase.execute("DELETE FROM outbox_event WHERE event_id IN (?, ?)", bad, behind);
    }

    /** A notification row numbered {@code seq} of {@code owner}'s key, put straight into {@code shard}. */
    private String insertNumbered(String run, String owner, int shard, int seq) {
        Notification event = new Notification(UUID.randomUUID().toString(), "acme", "widget_created", null, null,
                null, Map.of("run", run, "seq", Integer.toString(seq)), Instant.now());
        return insertRow(Topics.NOTIFICATION, pseudonym.of("acme", owner), shard, codec.encode(event));
    }

    private String insertRow(String topic, String key, int shard, byte[] payload) {
        String eventId = UUID.randomUUID().toString();
        TestDatabase.execute("""
                INSERT INTO outbox_event (event_id, topic, record_key, shard, ce_type, ce_source, ce_time, tenant_id,
                                          payload)
                VALUES (?, ?, ?, ?, 'io.privacyplatform.notification.v1', '/services/support-test', now(), 'acme', ?)
                """, eventId, topic, key, (short) shard, payload);
        return eventId;
    }

    /** A relay whose producer counts its committed Kafka transactions. */
    private OutboxRelay relay(String name, int shards, int batchSize, AtomicInteger commits) {
        String transactionalId = name + "-" + UUID.randomUUID();
        return new OutboxRelay(dataSource, () -> countingCommits(OutboxRelayService.newProducer(kafkaClients.common(),
                config, transactionalId), commits), shards, batchSize, config.maxAttempts(), setAside -> {
                }, signingKey.signature());
    }

    @SuppressWarnings("unchecked")
    private static Producer<String, byte[]> countingCommits(Producer<String, byte[]> producer, AtomicInteger commits) {
        return (Producer<String, byte[]>) Proxy.newProxyInstance(Producer.class.getClassLoader(),
                new Class<?>[] { Producer.class }, (proxy, method, args) -> {
                    try {
                        Object result = method.invoke(producer, args);
                        if (method.getName().equals("commitTransaction")) {
                            commits.incrementAndGet();
                        }
                        return result;
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    /** An outbox row as a service would write it, straight into the table; returns its event id. */
    private String insertRow(String topic, String key, byte[] payload) {
        String eventId = UUID.randomUUID().toString();
        TestDatabase.execute("""
                INSERT INTO outbox_event (event_id, topic, record_key, shard, ce_type, ce_source, ce_time, tenant_id,
                                          payload)
                VALUES (?, ?, ?, ?, 'io.privacyplatform.notification.v1', '/services/support-test', now(), 'acme', ?)
                """, eventId, topic, key, (short) OutboxRelay.shardOf(key, config.shards()), payload);
        return eventId;
    }

    private double setAsideCounter(String topic) {
        Counter counter = registry.find("privacy.outbox.set.aside").tag("topic", topic).counter();
        return counter == null ? 0 : counter.count();
    }

    private static List<EventEnvelope> firstCopies(List<EventEnvelope> envelopes) {
        Map<String, EventEnvelope> first = new java.util.LinkedHashMap<>();
        envelopes.forEach(e -> first.putIfAbsent(e.id(), e));
        return new ArrayList<>(first.values());
    }

    private String createNumbered(String run, String owner, int seq) {
        return widgets.create("acme", owner, "w" + seq, Map.of("run", run, "seq", Integer.toString(seq)))
                .eventId();
    }

    private OutboxRelay relay(String name) {
        return relay(name, config.shards(), 10, new AtomicInteger());
    }

    private List<EventEnvelope> ofRun(String run) {
        return envelopes(Topics.NOTIFICATION).stream().filter(e -> run.equals(params(e).get("run"))).toList();
    }

    private Map<String, String> params(EventEnvelope envelope) {
        try {
            return codec.decode(envelope, Notification.class).params();
        } catch (InvalidEventException | SubjectErasedException e) {
            return Map.of(); // another test's poison, or its erased subject's event
        }
    }

    private List<EventEnvelope> envelopes(String topic) {
        // Other tests put poison on this topic on purpose; it is not an event of the relay's.
        List<EventEnvelope> envelopes = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> record : PlatformTestResource.kafka().readAll(topic)) {
            try {
                envelopes.add(EventEnvelope.fromRecord(record));
            } catch (InvalidEventException e) {
                // skipped
            }
        }
        return envelopes;
    }

    private ConsumerRecord<String, byte[]> find(String eventId) {
        return PlatformTestResource.kafka().readAll(Topics.NOTIFICATION).stream()
                .filter(r -> eventId.equals(header(r, "ce_id"))).findFirst().orElse(null);
    }

    private String keyOf(String eventId) {
        return Objects.requireNonNull(find(eventId)).key();
    }

    static String header(ConsumerRecord<String, byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
