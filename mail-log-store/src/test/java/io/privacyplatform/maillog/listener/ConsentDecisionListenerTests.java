package io.privacyplatform.maillog.listener;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.privacyplatform.events.Ed25519Keys;
import io.privacyplatform.events.EventEnvelope;
import io.privacyplatform.events.EventSignature;
import io.privacyplatform.events.InvalidEventException;
import io.privacyplatform.events.SubjectPseudonym;
import io.privacyplatform.events.Topics;
import io.privacyplatform.events.payload.ConsentApplied;
import io.privacyplatform.events.payload.ConsentChanged;
import io.privacyplatform.maillog.MailFixtures;
import io.privacyplatform.support.security.ServiceSigningKey;
import io.privacyplatform.testing.PlatformTestResource;
import io.privacyplatform.testing.TestDatabase;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The store as a consent subscriber (standing for the mailer), in the kit's transactional mode, against the real
 * broker and database: a marketing withdrawal becomes a suppression, and every decision is acknowledged once, signed
 * with the service's key.
 */
@QuarkusTest
class ConsentDecisionListenerTests {

    private static final Duration WAIT = Duration.ofSeconds(30);
    /** The secret of src/main/resources/application.properties' %test profile. */
    private static final SubjectPseudonym PSEUDONYM = SubjectPseudonym
            .fromSecret("test-only-pseudonym-secret-0123456789");

    @Inject
    ServiceSigningKey signingKey;

    private String key;
    private String subject;

    @BeforeEach
    void subject() {
        subject = "subj-" + UUID.randomUUID();
        key = PSEUDONYM.of("acme", subject);
    }

    @Test
    void shouldSuppressAMarketingWithdrawalAndAcknowledgeItOnceSigned() {
        ConsentChanged withdrawal = decision("newsletter", "marketing_email", "withdrawn");
        ConsentChanged after = decision("analytics", "analytics", "granted");

        publish(withdrawal);
        publish(withdrawal);
        publish(after);

        // Same key, same partition: once the later decision is acknowledged, the redelivery was taken too.
        awaitAcks(after.eventId());
        List<ConsumerRecord<String, byte[]>> acks = ackRecords(withdrawal.eventId());
        assertThat(acks).as("a redelivered decision is acknowledged once").hasSize(1);
        EventEnvelope envelope = EventEnvelope.fromRecord(acks.get(0));
        ConsentApplied ack = MailFixtures.CODEC.decode(envelope, ConsentApplied.class);
        assertThat(ack.system()).isEqualTo("mail-log-store");
        assertThat(ack.consentId()).isEqualTo(withdrawal.consentId());
        assertThat(ack.tenantId()).isEqualTo("acme");
        assertThat(ack.decision()).isEqualTo("withdrawn");
        assertThat(ack.appliedAt()).isAfter(Instant.now().minus(Duration.ofMinutes(1)));
        assertThat(envelope.source()).isEqualTo("/consent-subscribers/mail-log-store");
        assertThat(envelope.key()).isEqualTo(key);
        assertThatCode(() -> EventSignature.verify(envelope, acks.get(0).headers(),
                Ed25519Keys.publicKeyFromBase64(signingKey.publicKeyBase64())))
                .as("signed with the key the store registers").doesNotThrowAnyException();

        assertThat(TestDatabase.rows("SELECT purpose_id, consent_id::text AS consent_id FROM mail_suppression"
                + " WHERE tenant_id = 'acme' AND subject_pseudonym = ?", key)).singleElement().satisfies(row -> {
                    assertThat(row.get("purpose_id")).isEqualTo("newsletter");
                    assertThat(row.get("consent_id")).isEqualTo(withdrawal.consentId());
                });
        assertThat(TestDatabase.count("SELECT count(*) FROM mail_suppression WHERE subject_pseudonym = ?", key))
                .as("a decision on another category suppresses nothing").isEqualTo(1);
        assertThat(TestDatabase.count("SELECT count(*) FROM inbox_event WHERE consumer ="
                + " 'mail-log-store/privacy.consent.changed.v1' AND event_id = ?", withdrawal.eventId())).isEqualTo(1);
    }

    @Test
    void shouldLiftTheSuppressionWhenTheSubjectGrantsTheNewsletterAgain() {
        ConsentChanged withdrawal = decision("newsletter", "marketing_email", "withdrawn");
        publish(withdrawal);
        awaitAcks(withdrawal.eventId());
        assertThat(suppressions()).isEqualTo(1);

        ConsentChanged grant = decision("newsletter", "marketing_email", "granted");
        publish(grant);

        awaitAcks(grant.eventId());
        assertThat(suppressions()).isZero();
    }

    private ConsentChanged decision(String purpose, String category, String decision) {
        return ConsentChanged.of(UUID.randomUUID(), "acme", subject, purpose, category, decision, "consent",
                "2026-01", "web", false, Instant.now().truncatedTo(ChronoUnit.MILLIS), UUID.randomUUID());
    }

    private void publish(ConsentChanged consent) {
        PlatformTestResource.kafka().send(MailFixtures.CODEC.envelope(consent.eventId(),
                "/services/consent-service", consent.tenantId(), key, consent).toRecord(Topics.CONSENT_CHANGED));
    }

    private void awaitAcks(String eventId) {
        await().atMost(WAIT).until(() -> !ackRecords(eventId).isEmpty());
    }

    private List<ConsumerRecord<String, byte[]>> ackRecords(String eventId) {
        return PlatformTestResource.kafka().readAll(Topics.CONSENT_APPLIED).stream()
                .filter(r -> key.equals(r.key())).filter(r -> {
                    try {
                        return MailFixtures.CODEC.decode(EventEnvelope.fromRecord(r), ConsentApplied.class)
                                .eventId().equals(eventId);
                    } catch (InvalidEventException e) {
                        return false;
                    }
                }).toList();
    }

    private long suppressions() {
        return TestDatabase.count("SELECT count(*) FROM mail_suppression WHERE tenant_id = 'acme'"
                + " AND subject_pseudonym = ?", key);
    }
}
