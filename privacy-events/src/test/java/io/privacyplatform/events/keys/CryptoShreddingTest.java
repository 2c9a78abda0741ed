package io.privacyplatform.events.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.privacyplatform.events.Ed25519Keys;
import io.privacyplatform.events.EventCodec;
import io.privacyplatform.events.EventEnvelope;
import io.privacyplatform.events.EventSignature;
import io.privacyplatform.events.InvalidEventException;
import io.privacyplatform.events.SubjectPseudonym;
import io.privacyplatform.events.Topics;
import io.privacyplatform.events.payload.CommandKind;
import io.privacyplatform.events.payload.CommandSubject;
import io.privacyplatform.events.payload.ConsentChanged;
import io.privacyplatform.events.payload.PrivacyCommand;
import io.privacyplatform.testing.KafkaTestCluster;
import io.privacyplatform.testing.TestKeyStore;

/**
 * Crypto-shredding on a real broker and a real key store: a topic (and its {@code .dlq}) read from the beginning after
 * one subject's keys are destroyed gives back every other subject's events, and the old events in clear, but not a
 * personal field of the erased subject.
 */
class CryptoShreddingTest {

    private static final String TENANT = "acme";
    private static final SubjectPseudonym PSEUDONYMS = SubjectPseudonym.fromSecret("crypto-shredding-test-secret!!");
    private static final KeyPair SIGNER = Ed25519Keys.generate();
    private static KafkaTestCluster kafka;

    private final JdbcSubjectKeys keys = JdbcSubjectKeys.fromSettings(TestKeyStore.settings());
    /** What a producer writes with (the outbox of a service). */
    private final EventCodec producer = new EventCodec(Clock.systemUTC(), keys);
    /**
     * What a consumer reads with: another process, with no key cache (one with a cache would still open the events
     * for at most its time to live: a destroy invalidates only the cache of the process that destroys).
     */
    private final EventCodec consumer = new EventCodec(Clock.systemUTC(),
            JdbcSubjectKeys.fromSettings(TestKeyStore.settings(), 0, Duration.ZERO));
    private final EventSignature signature = new EventSignature("consent-service", SIGNER.getPrivate());

    @BeforeAll
    static void startBroker() {
        kafka = KafkaTestCluster.start();
        kafka.createTopics(List.of(Topics.CONSENT_CHANGED, Topics.COMMAND), 3);
        kafka.createTopics(List.of(Topics.COMMAND + Topics.DLQ_SUFFIX), 1);
    }

    @AfterAll
    static void stopBroker() {
        kafka.close();
    }

    @Test
    void shouldLeaveAnErasedSubjectsEventsUnreadableOnTheTopicAndItsDlqWhileOthersStillDecode() {
        String ann = "ann-" + UUID.randomUUID();
        String bob = "bob-" + UUID.randomUUID();
        String annKey = PSEUDONYMS.of(TENANT, ann);
        String bobKey = PSEUDONYMS.of(TENANT, bob);
        // Before sealing: an event of ann written in clear by an older version (no key id) stays readable as it is.
        EventEnvelope annInClear = new EventCodec().envelope("/services/consent-service", TENANT, annKey,
                consent(ann));
        EventEnvelope annConsent = producer.envelope("/services/consent-service", TENANT, annKey, consent(ann));
        EventEnvelope annCommand = producer.envelope("/services/retention-service", TENANT, annKey, erase(ann));
        EventEnvelope bobConsent = producer.envelope("/services/consent-service", TENANT, bobKey, consent(bob));
        EventEnvelope bobCommand = producer.envelope("/services/retention-service", TENANT, bobKey, erase(bob));
        assertThat(annConsent.keyId()).isNotNull().isEqualTo(annCommand.keyId()).isNotEqualTo(bobConsent.keyId());
        assertThat(annInClear.keyId()).isNull();
        kafka.send(signed(annInClear, Topics.CONSENT_CHANGED), signed(annConsent, Topics.CONSENT_CHANGED),
                signed(bobConsent, Topics.CONSENT_CHANGED), signed(annCommand, Topics.COMMAND),
                signed(bobCommand, Topics.COMMAND));
        // A consumer that could not process ann's command dead-lettered a copy (headers and all).
        kafka.send(new ProducerRecord<>(Topics.COMMAND + Topics.DLQ_SUFFIX, null, annKey,
                signed(annCommand, Topics.COMMAND).value(), signed(annCommand, Topics.COMMAND).headers()));

        // Before the erasure, everyone's events decode, personal fields and all.
        assertThat(consumer.decode(read(Topics.CONSENT_CHANGED, annConsent.id()), ConsentChanged.class).subjectId())
                .isEqualTo(ann);
        assertThat(consumer.decode(read(Topics.COMMAND, annCommand.id()), PrivacyCommand.class).subject().email())
                .isEqualTo(ann + "@example.com");

        // The erasure completed in every store: retention-service destroys ann's keys.
        assertThat(keys.destroy(TENANT, annKey)).extracting(DestroyedKey::keyId).containsExactly(annConsent.keyId());

        for (String topic : List.of(Topics.CONSENT_CHANGED, Topics.COMMAND, Topics.COMMAND + Topics.DLQ_SUFFIX)) {
            for (ConsumerRecord<String, byte[]> record : kafka.readAll(topic)) {
                EventEnvelope envelope = EventEnvelope.fromRecord(record);
                String text = new String(record.value(), StandardCharsets.UTF_8);
                if (annKey.equals(record.key()) && envelope.isSealed()) {
                    assertThat(text).doesNotContain(ann);
                    assertThatThrownBy(() -> consumer.decode(envelope)).isInstanceOf(SubjectErasedException.class)
                            .isNotInstanceOf(InvalidEventException.class);
                    // Still provably the writer's event: the signature covers the sealed bytes that travel.
                    EventSignature.verify(envelope, record.headers(), SIGNER.getPublic());
                } else if (annKey.equals(record.key())) {
                    assertThat(consumer.decode(envelope, ConsentChanged.class).subjectId()).isEqualTo(ann);
                } else if (bobKey.equals(record.key())) {
                    Object payload = consumer.decode(envelope);
                    assertThat(payload).isIn(consent(bob), erase(bob));
                }
            }
        }
        assertThat(consumer.decode(read(Topics.CONSENT_CHANGED, bobConsent.id()), ConsentChanged.class))
                .isEqualTo(consent(bob));
        assertThat(consumer.decode(read(Topics.COMMAND, bobCommand.id()), PrivacyCommand.class).subject())
                .isEqualTo(new CommandSubject(bob, bob + "@example.com"));
    }

    @Test
    void shouldRefuseASealedFieldMovedToAnotherEvent() {
        String ann = "ann-" + UUID.randomUUID();
        String annKey = PSEUDONYMS.of(TENANT, ann);
        EventEnvelope first = producer.envelope("/services/consent-service", TENANT, annKey, consent(ann));
        EventEnvelope second = producer.envelope("/services/consent-service", TENANT, annKey, consent(ann));
        // The second event's payload under the first one's id: same key, but the field was sealed for another event.
        EventEnvelope moved = new EventEnvelope(first.id(), first.source(), first.type(), first.time(),
                first.subject(), first.tenantId(), first.key(), second.data(), second.keyId());
        assertThatThrownBy(() -> consumer.decode(moved)).isInstanceOf(InvalidEventException.class)
                .hasMessageContaining("does not open");
        // A reader without the key store cannot read a sealed event and says so (configuration, not poison).
        assertThatThrownBy(() -> new EventCodec().decode(first)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void shouldSealOnlyEventsAboutASubject() {
        PrivacyCommand purge = new PrivacyCommand(UUID.randomUUID().toString(), CommandKind.PURGE, TENANT,
                "mail-log-store", null, null, List.of("email_headers"), Instant.parse("2025-01-01T00:00:00Z"),
                Map.of(), Instant.parse("2025-05-01T10:15:30Z"), null, 1);
        // Keyed by the tenant id: about no subject, nothing personal, in clear.
        assertThat(producer.envelope("/services/retention-service", TENANT, TENANT, purge).keyId()).isNull();
    }

    private ProducerRecord<String, byte[]> signed(EventEnvelope envelope, String topic) {
        ProducerRecord<String, byte[]> record = envelope.toRecord(topic);
        signature.signInto(envelope, record.headers());
        return record;
    }

    private static EventEnvelope read(String topic, String eventId) {
        return kafka.readAll(topic).stream().map(EventEnvelope::fromRecord).filter(e -> e.id().equals(eventId))
                .findFirst().orElseThrow();
    }

    private static ConsentChanged consent(String subjectId) {
        return new ConsentChanged("5f0c7a52-7d3e-4c1b-9a51-" + Math.abs(subjectId.hashCode() % 1_000_000_000L),
                TENANT, subjectId, "newsletter", "contact", "granted", "consent", "2025-04", "web", false,
                Instant.parse("2025-05-01T10:15:28Z"), "d2c4e6f8-0a1b-4c3d-8e5f-6a7b8c9d0e1f");
    }

    private static PrivacyCommand erase(String subjectId) {
        return new PrivacyCommand("c0ffee00-" + Math.abs(subjectId.hashCode()), CommandKind.ERASE, TENANT,
                "mail-log-store", "9b2f6a1e-3c4d-4e5f-8a9b-0c1d2e3f4a5b",
                new CommandSubject(subjectId, subjectId + "@example.com"), List.of("email_headers"), null, Map.of(),
                Instant.parse("2025-05-01T10:15:30Z"), null, 1);
    }
}
