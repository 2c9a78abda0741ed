package io.privacyplatform.support.consent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;

import io.privacyplatform.events.Ed25519Keys;
import io.privacyplatform.events.EventCodec;
import io.privacyplatform.events.EventEnvelope;
import io.privacyplatform.events.EventSignature;
import io.privacyplatform.events.Topics;
import io.privacyplatform.events.payload.ConsentApplied;
import io.privacyplatform.events.payload.ConsentChanged;
import io.privacyplatform.support.security.ServiceSigningKey;
import io.privacyplatform.support.testapp.TestConsentDecisions;
import io.privacyplatform.testing.PlatformTestResource;
import io.privacyplatform.testing.TestDatabase;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The transactional mode of a consent subscriber, with the test app's subscriber
 * {@value TestConsentDecisions#SYSTEM}, the real broker and the real database: a decision is acknowledged exactly
 * when its effect committed, once per event id.
 */
@QuarkusTest
class ConsentSubscriberInboxTests {

    private static final Duration WAIT = Duration.ofSeconds(30);
    // Decisions are sent in clear (a consumer reads an event without a key id so); acknowledgements carry no
    // personal field.
    private static final EventCodec CODEC = new EventCodec();

    @Inject
    ServiceSigningKey signingKey;

    private final String key = "key-" + UUID.randomUUID();

    @Test
    void shouldApplyADecisionOnceAndAcknowledgeItSignedInTheSameTransaction() {
        ConsentChanged decision = decision(TestConsentDecisions.APPLY);

        send(decision);
        send(decision);
        ConsentChanged next = decision(TestConsentDecisions.APPLY);
        send(next);

        awaitAcks(next); // same key, same partition: the redelivery before it was taken
        List<ConsumerRecord<String, byte[]>> acks = awaitAcks(decision);
        assertThat(acks).hasSize(1);
        EventEnvelope envelope = EventEnvelope.fromRecord(acks.get(0));
        ConsentApplied ack = CODEC.decode(envelope, ConsentApplied.class);
        assertThat(ack.system()).isEqualTo(TestConsentDecisions.SYSTEM);
        assertThat(ack.consentId()).isEqualTo(decision.consentId());
        assertThat(envelope.source()).isEqualTo("/consent-subscribers/" + TestConsentDecisions.SYSTEM);
        assertThat(envelope.key()).isEqualTo(key);
        assertThatCode(() -> EventSignature.verify(envelope, acks.get(0).headers(),
                Ed25519Keys.publicKeyFromBase64(signingKey.publicKeyBase64()))).doesNotThrowAnyException();
        assertThat(effects(decision)).isEqualTo(1);
    }

    @Test
    void shouldAcknowledgeADecisionOnlyOnceTheHandlerAppliedIt() {
        ConsentChanged decision = decision(TestConsentDecisions.FAIL_ONCE);

        send(decision);

        assertThat(awaitAcks(decision)).hasSize(1);
        assertThat(effects(decision)).as("the failed attempt's effect was rolled back with it").isEqualTo(1);
    }

    @Test
    void shouldDeadLetterADecisionTheHandlerRejectsAndAcknowledgeNothing() {
        ConsentChanged decision = decision(TestConsentDecisions.REJECT);

        send(decision);

        ConsumerRecord<String, byte[]> dead = await().atMost(WAIT).until(() -> PlatformTestResource.kafka()
                .readAll(Topics.deadLetterOf(Topics.CONSENT_CHANGED)).stream().filter(r -> key.equals(r.key()))
                .findFirst().orElse(null), r -> r != null);
        assertThat(header(dead, "dead-letter-reason")).isEqualTo("the test subscriber rejects this decision");
        assertThat(acks(decision)).isEmpty();
        assertThat(effects(decision)).isZero();
    }

    private ConsentChanged decision(String purpose) {
        return ConsentChanged.of(UUID.randomUUID(), "acme", "subj-" + UUID.randomUUID(), purpose, "marketing_email",
                "withdrawn", "consent", null, "web", false, Instant.now(), UUID.randomUUID());
    }

    private void send(ConsentChanged decision) {
        PlatformTestResource.kafka().send(CODEC.envelope(decision.eventId(), "/services/consent-service",
                decision.tenantId(), key, decision).toRecord(Topics.CONSENT_CHANGED));
    }

    private static List<ConsumerRecord<String, byte[]>> awaitAcks(ConsentChanged decision) {
        return await().atMost(WAIT).until(() -> acks(decision), found -> !found.isEmpty());
    }

    private static List<ConsumerRecord<String, byte[]>> acks(ConsentChanged decision) {
        return PlatformTestResource.kafka().readAll(Topics.CONSENT_APPLIED).stream()
                .filter(r -> CODEC.decode(EventEnvelope.fromRecord(r), ConsentApplied.class).eventId()
                        .equals(decision.eventId()))
                .toList();
    }

    private static long effects(ConsentChanged decision) {
        return TestDatabase.count("SELECT count(*) FROM store_effect WHERE command_id = ? AND kind = 'CONSENT'",
                decision.eventId());
    }

    private static String header(ConsumerRecord<String, byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
