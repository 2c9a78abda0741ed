package io.privacyplatform.support.inbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;

import jakarta.inject.Inject;

import io.micrometer.core.instrument.MeterRegistry;
import io.privacyplatform.events.EventCodec;
import io.privacyplatform.events.EventEnvelope;
import io.privacyplatform.events.Topics;
import io.privacyplatform.events.keys.JdbcSubjectKeys;
import io.privacyplatform.events.keys.SubjectKeys;
import io.privacyplatform.events.payload.Notification;
import io.privacyplatform.support.keys.SubjectKeyStore;
import io.privacyplatform.support.testapp.NotificationListener;
import io.privacyplatform.testing.PlatformTestResource;
import io.privacyplatform.testing.TestKeyStore;
import io.privacyplatform.testing.TestDatabase;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class EventInboxTests {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private final EventCodec codec = new EventCodec();

    @Inject
    SubjectKeyStore keyStore;

    @Inject
    MeterRegistry meters;

    @Test
    void shouldHaveOneEffectWhenAnEventIsDeliveredTwice() throws Exception {
        String key = "key-" + UUID.randomUUID();
        EventEnvelope twice = envelope(key);
        EventEnvelope after = envelope(key);
        PlatformTestResource.kafka().send(twice.toRecord(Topics.NOTIFICATION),
                twice.toRecord(Topics.NOTIFICATION),
                after.toRecord(Topics.NOTIFICATION));
        // Same key, same partition: once the later event took effect, both copies of the first were consumed.
        await().atMost(WAIT).until(() -> effects(after.id()) == 1);
        assertThat(effects(twice.id())).isEqualTo(1);
        assertThat(TestDatabase.count("SELECT count(*) FROM inbox_event WHERE event_id = ?", twice.id()))
                .isEqualTo(1);
    }

    @Test
    void shouldSendMalformedMessageToDeadLetterTopicAndProcessTheNext() throws Exception {
        String key = "key-" + UUID.randomUUID();
        byte[] poison = ("not a cloud event " + key).getBytes(StandardCharsets.UTF_8);
        EventEnvelope good = envelope(key);
        PlatformTestResource.kafka().send(new ProducerRecord<>(Topics.NOTIFICATION, key, poison),
                good.toRecord(Topics.NOTIFICATION));

        await().atMost(WAIT).until(() -> effects(good.id()) == 1);
        ConsumerRecord<String, byte[]> dead = await().atMost(WAIT).until(
                () -> PlatformTestResource.kafka().readAll(Topics.deadLetterOf(Topics.NOTIFICATION)).stream()
                        .filter(r -> key.equals(r.key())).findFirst().orElse(null),
                r -> r != null);
        assertThat(dead.value()).isEqualTo(poison);
        assertThat(header(dead, "dead-letter-reason")).contains("not a CloudEvent");
        assertThat(header(dead, "dead-letter-topic")).isEqualTo(Topics.NOTIFICATION);
    }

    @Test
    void shouldSendEventMissingRequiredFieldToDeadLetterTopic() throws Exception {
        String key = "key-" + UUID.randomUUID();
        EventEnvelope valid = envelope(key);
        EventEnvelope withoutKind = new EventEnvelope(UUID.randomUUID().toString(), valid.source(), valid.type(),
                valid.time(), valid.subject(), valid.tenantId(), key,
                "{\"notificationId\":\"n1\",\"tenantId\":\"acme\",\"occurredAt\":\"2026-01-01T00:00:00Z\"}"
                        .getBytes(StandardCharsets.UTF_8));
        PlatformTestResource.kafka().send(withoutKind.toRecord(Topics.NOTIFICATION),
                valid.toRecord(Topics.NOTIFICATION));

        await().atMost(WAIT).until(() -> effects(valid.id()) == 1);
        assertThat(effects(withoutKind.id())).isZero();
        ConsumerRecord<String, byte[]> dead = await().atMost(WAIT).until(
                () -> PlatformTestResource.kafka().readAll(Topics.deadLetterOf(Topics.NOTIFICATION)).stream()
                        .filter(r -> key.equals(r.key())).findFirst().orElse(null),
                r -> r != null);
        assertThat(header(dead, "dead-letter-reason")).contains("kind");
    }

    @Test
    void shouldDeadLetterAnEventWhosePayloadTenantDiffersFromItsEnvelope() throws Exception {
        String key = "key-" + UUID.randomUUID();
        EventEnvelope valid = envelope(key);
        // An event for tenant "acme" in an envelope of another tenant: the codec rejects it before any effect.
        EventEnvelope crossTenant = new EventEnvelope(UUID.randomUUID().toString(), valid.source(), valid.type(),
                valid.time(), valid.subject(), "other-" + UUID.randomUUID(), key, envelope(key).data());
        PlatformTestResource.kafka().send(crossTenant.toRecord(Topics.NOTIFICATION),
                valid.toRecord(Topics.NOTIFICATION));

        // Same key, same partition: once the later event took effect, the earlier one was consumed.
        await().atMost(WAIT).until(() -> effects(valid.id()) == 1);
        assertThat(effects(crossTenant.id())).isZero();
        assertThat(TestDatabase.count("SELECT count(*) FROM inbox_event WHERE event_id = ?", crossTenant.id()))
                .isZero();
        ConsumerRecord<String, byte[]> dead = await().atMost(WAIT).until(
                () -> PlatformTestResource.kafka().readAll(Topics.deadLetterOf(Topics.NOTIFICATION)).stream()
                        .filter(r -> key.equals(r.key())).findFirst().orElse(null),
                r -> r != null);
        assertThat(header(dead, "dead-letter-reason")).contains("differs from ce_tenantid");
        assertThat(header(dead, "ce_id")).isEqualTo(crossTenant.id());
    }

    @Test
    void shouldRetryAnEffectThatFailsForAWhileInsteadOfDeadLetteringIt() throws Exception {
        String key = "key-" + UUID.randomUUID();
        EventEnvelope flaky = envelope(key, NotificationListener.FLAKY);
        PlatformTestResource.kafka().send(flaky.toRecord(Topics.NOTIFICATION));

        await().atMost(WAIT).until(() -> effects(flaky.id()) == 1);
        assertThat(TestDatabase.count("SELECT count(*) FROM inbox_event WHERE event_id = ?", flaky.id()))
                .isEqualTo(1);
        assertThat(PlatformTestResource.kafka().readAll(Topics.deadLetterOf(Topics.NOTIFICATION)))
                .noneMatch(r -> key.equals(r.key()));
    }

    @Test
    void shouldRetryAValidEventForAsLongAsItsEffectFailsAndNeverDeadLetterIt() throws Exception {
        String key = "key-" + UUID.randomUUID();
        EventEnvelope waiting = envelope(key, NotificationListener.LONG_OUTAGE);
        EventEnvelope behind = envelope(key);
        PlatformTestResource.kafka().send(waiting.toRecord(Topics.NOTIFICATION), behind.toRecord(Topics.NOTIFICATION));

        // Same key, same partition: the event behind waits for the failing one, which takes effect once in the end.
        await().atMost(WAIT).until(() -> effects(behind.id()) == 1);
        assertThat(effects(waiting.id())).isEqualTo(1);
        assertThat(receivedOrder(waiting.id(), behind.id())).containsExactly(waiting.id(), behind.id());
        assertThat(PlatformTestResource.kafka().readAll(Topics.deadLetterOf(Topics.NOTIFICATION)))
                .noneMatch(r -> key.equals(r.key()));
    }

    @Test
    void shouldDeadLetterAnEventItsEffectRejectsAndProcessTheNext() throws Exception {
        String key = "key-" + UUID.randomUUID();
        EventEnvelope rejected = envelope(key, NotificationListener.REJECTED);
        EventEnvelope next = envelope(key);
        PlatformTestResource.kafka().send(rejected.toRecord(Topics.NOTIFICATION), next.toRecord(Topics.NOTIFICATION));

        await().atMost(WAIT).until(() -> effects(next.id()) == 1);
        assertThat(effects(rejected.id())).isZero();
        assertThat(TestDatabase.count("SELECT count(*) FROM inbox_event WHERE event_id = ?", rejected.id())).isZero();
        ConsumerRecord<String, byte[]> dead = await().atMost(WAIT).until(
                () -> PlatformTestResource.kafka().readAll(Topics.deadLetterOf(Topics.NOTIFICATION)).stream()
                        .filter(r -> key.equals(r.key())).findFirst().orElse(null),
                r -> r != null);
        assertThat(header(dead, "ce_id")).isEqualTo(rejected.id());
        assertThat(header(dead, "dead-letter-exception-class-name")).isEqualTo(IllegalArgumentException.class.getName());
    }

    @Test
    void shouldSkipAndCountAnEventOfAnErasedSubjectAndNeitherRetryNorDeadLetterIt() {
        String key = "subject-" + UUID.randomUUID();
        SubjectKeys keys = keyStore.keys().orElseThrow();
        EventCodec sealing = new EventCodec(java.time.Clock.systemUTC(), keys);
        // About a subject (its pseudonym as key, a subject id inside): sealed with the subject's data key.
        EventEnvelope erased = sealing.envelope("/tests", "acme", key, new Notification(UUID.randomUUID().toString(),
                "acme", "inbox_test", null, "subj-4711", null, Map.of(), Instant.now()));
        assertThat(erased.keyId()).isNotNull();
        keys.destroy("acme", key);
        EventEnvelope next = envelope(key);
        double before = erasedCount();
        PlatformTestResource.kafka().send(erased.toRecord(Topics.NOTIFICATION), next.toRecord(Topics.NOTIFICATION));

        // Same key, same partition: the event behind it took effect, so the erased one was taken and passed over.
        await().atMost(WAIT).until(() -> effects(next.id()) == 1);
        assertThat(effects(erased.id())).isZero();
        assertThat(erasedCount()).isEqualTo(before + 1);
        assertThat(PlatformTestResource.kafka().readAll(Topics.deadLetterOf(Topics.NOTIFICATION)))
                .noneMatch(r -> key.equals(r.key()));
    }

    /**
     * The key store is away (its database restarts; here its table is renamed away) when a sealed event arrives:
     * opening it fails, which is not the event's fault. It waits and takes effect once the key store is back, and is
     * never dead-lettered (ScaleOutIT found sealed commands on a .dlq after a PostgreSQL crash).
     */
    @Test
    void shouldRetryASealedEventWhileTheKeyStoreIsAwayInsteadOfDeadLetteringIt() throws Exception {
        String key = "subject-" + UUID.randomUUID();
        // Sealed through a key store client of its own, so the service has not cached the key and must ask for it.
        EventCodec sealing = new EventCodec(java.time.Clock.systemUTC(),
                JdbcSubjectKeys.fromSettings(TestKeyStore.settings(), 0, Duration.ZERO));
        EventEnvelope sealed = sealing.envelope("/tests", "acme", key, new Notification(UUID.randomUUID().toString(),
                "acme", "inbox_test", null, "subj-4712", null, Map.of(), Instant.now()));
        assertThat(sealed.keyId()).isNotNull();
        keyStoreSql("ALTER TABLE privacy_keys.subject_key RENAME TO subject_key_away");
        try {
            PlatformTestResource.kafka().send(sealed.toRecord(Topics.NOTIFICATION));
            await().during(Duration.ofSeconds(2)).atMost(WAIT).until(() -> effects(sealed.id()) == 0);
        } finally {
            keyStoreSql("ALTER TABLE privacy_keys.subject_key_away RENAME TO subject_key");
        }
        await().atMost(WAIT).until(() -> effects(sealed.id()) == 1);
        assertThat(PlatformTestResource.kafka().readAll(Topics.deadLetterOf(Topics.NOTIFICATION)))
                .noneMatch(r -> key.equals(r.key()));
    }

    private static void keyStoreSql(String sql) throws java.sql.SQLException {
        Map<String, String> settings = TestKeyStore.settings();
        try (java.sql.Connection connection = java.sql.DriverManager.getConnection(
                settings.get(JdbcSubjectKeys.JDBC_URL), settings.get(JdbcSubjectKeys.USERNAME),
                settings.get(JdbcSubjectKeys.PASSWORD)); java.sql.Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private double erasedCount() {
        var counter = meters.find(EventInbox.ERASED_METER).tag("consumer", "support-test/" + Topics.NOTIFICATION)
                .counter();
        return counter == null ? 0 : counter.count();
    }

    private static java.util.List<String> receivedOrder(String... eventIds) {
        return TestDatabase.rows("SELECT event_id FROM notification_effect WHERE event_id = ANY (?)"
                + " ORDER BY received_at", (Object) eventIds).stream().map(r -> (String) r.get("event_id")).toList();
    }

    private EventEnvelope envelope(String key) {
        return envelope(key, "inbox_test");
    }

    private EventEnvelope envelope(String key, String kind) {
        Notification payload = new Notification(UUID.randomUUID().toString(), "acme", kind, null, null,
                null, Map.of(), Instant.now());
        return codec.envelope("/tests", "acme", key, payload);
    }

    private static long effects(String eventId) {
        return TestDatabase.count("SELECT count(*) FROM notification_effect WHERE event_id = ?", eventId);
    }


    private static String header(ConsumerRecord<String, byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
