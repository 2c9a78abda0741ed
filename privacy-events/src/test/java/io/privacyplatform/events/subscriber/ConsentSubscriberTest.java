package io.privacyplatform.events.subscriber;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

import io.privacyplatform.events.EventCodec;
import io.privacyplatform.events.EventEnvelope;
import io.privacyplatform.events.EventSignature;
import io.privacyplatform.events.EventType;
import io.privacyplatform.events.Examples;
import io.privacyplatform.events.Topics;
import io.privacyplatform.events.payload.ConsentApplied;
import io.privacyplatform.events.payload.ConsentChanged;

/**
 * The kit's consent subscriber against a real (in-process) broker. Each test is a subscriber of its own name and
 * group, and looks only at its own subject's decisions (every subscriber reads every decision on the topic).
 */
class ConsentSubscriberTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static TestBroker broker;

    private final EventCodec codec = new EventCodec();
    private final List<ConsentSubscriber> subscribers = new ArrayList<>();
    /** Event ids of this test's subject's decisions, in the order the handler applied them. */
    private final List<String> applied = new CopyOnWriteArrayList<>();
    private TestBroker.TopicReader acks;
    private TestBroker.TopicReader deadLetters;
    private String system;
    private String subject;
    private String key;

    @BeforeAll
    static void startBroker() throws Exception {
        broker = TestBroker.start();
        broker.createTopic(Topics.CONSENT_CHANGED, 3);
        broker.createTopic(Topics.CONSENT_APPLIED, 3);
        broker.createTopic(Topics.deadLetterOf(Topics.CONSENT_CHANGED), 1);
    }

    @AfterAll
    static void stopBroker() throws Exception {
        broker.close();
    }

    @BeforeEach
    void setUp(TestInfo test) {
        system = "mailer-" + test.getTestMethod().orElseThrow().getName().toLowerCase();
        subject = "subj-" + UUID.randomUUID();
        key = Examples.PSEUDONYM.of(Examples.TENANT, subject);
        acks = broker.reader(Topics.CONSENT_APPLIED);
        deadLetters = broker.reader(Topics.deadLetterOf(Topics.CONSENT_CHANGED));
    }

    @AfterEach
    void tearDown() {
        subscribers.forEach(ConsentSubscriber::close);
        acks.close();
        deadLetters.close();
    }

    @Test
    void shouldApplyAWithdrawalOnceAndAcknowledgeItSignedAfterwards() throws Exception {
        InMemoryAppliedConsents memory = new InMemoryAppliedConsents();
        start(recording((consent, envelope) -> {
        }), memory);
        ConsentChanged withdrawal = decision("withdrawn");

        RecordMetadata sent = send(withdrawal);

        ConsentApplied ack = awaitAcks(withdrawal.eventId(), 1).get(0);
        assertThat(ack).isEqualTo(new ConsentApplied(withdrawal.eventId(), withdrawal.consentId(), system,
                Examples.TENANT, "newsletter", "withdrawn", Examples.NOW));
        assertThat(applied).containsExactly(withdrawal.eventId());
        EventEnvelope envelope = ackEnvelopes(withdrawal.eventId()).get(0);
        assertThat(envelope.source()).isEqualTo("/consent-subscribers/" + system);
        assertThat(envelope.eventType()).isEqualTo(EventType.CONSENT_APPLIED);
        assertThat(envelope.key()).as("the decision's key: one subject's acks stay in order").isEqualTo(key);
        ConsumerRecord<String, byte[]> record = acks.records().stream()
                .filter(r -> EventEnvelope.fromRecord(r).id().equals(envelope.id())).findFirst().orElseThrow();
        assertThatCode(() -> EventSignature.verify(envelope, record.headers(), Examples.STORE_KEYS.getPublic()))
                .as("signed with the subscriber's key").doesNotThrowAnyException();
        assertThat(memory.find(withdrawal.eventId())).contains(ack);
        await().atMost(WAIT).until(() -> committedOffset(sent) == sent.offset() + 1);
    }

    @Test
    void shouldNotApplyADecisionDeliveredAgainButPublishItsAcknowledgementAgain() throws Exception {
        start(recording((consent, envelope) -> {
        }), new InMemoryAppliedConsents());
        ConsentChanged withdrawal = decision("withdrawn");

        send(withdrawal);
        send(withdrawal);

        List<ConsentApplied> both = awaitAcks(withdrawal.eventId(), 2);
        assertThat(both.get(1)).isEqualTo(both.get(0));
        assertThat(applied).containsExactly(withdrawal.eventId());
        List<EventEnvelope> envelopes = ackEnvelopes(withdrawal.eventId());
        assertThat(envelopes.get(1).id()).as("a republished ack is recognisably the same event")
                .isEqualTo(envelopes.get(0).id());
    }

    @Test
    void shouldAcknowledgeNothingUntilTheHandlerAppliedTheDecisionAndNeverSkipIt() throws Exception {
        ConsentChanged withdrawal = decision("withdrawn");
        AtomicInteger attempts = new AtomicInteger();
        InMemoryAppliedConsents memory = new InMemoryAppliedConsents();
        start(recording((consent, envelope) -> {
            if (consent.eventId().equals(withdrawal.eventId()) && attempts.incrementAndGet() <= 3) {
                throw new IllegalStateException("suppression list of " + subject + " unreachable");
            }
        }), memory);

        RecordMetadata sent = send(withdrawal);

        await().atMost(WAIT).until(() -> attempts.get() >= 3);
        assertThat(acksFor(withdrawal.eventId())).as("no ack while the handler fails").isEmpty();
        assertThat(memory.find(withdrawal.eventId())).isEmpty();
        assertThat(committedOffset(sent)).as("not committed while not applied").isLessThanOrEqualTo(sent.offset());

        assertThat(awaitAcks(withdrawal.eventId(), 1)).hasSize(1);
        assertThat(attempts.get()).isEqualTo(4);
        assertThat(applied).containsExactly(withdrawal.eventId());
        assertThat(ours(deadLetters.records())).as("a valid decision never goes to the dead letters").isEmpty();
        await().atMost(WAIT).until(() -> committedOffset(sent) == sent.offset() + 1);
    }

    @Test
    void shouldCopyARecordThatIsNoConsentDecisionToTheDeadLetterTopicAndApplyTheNext() throws Exception {
        start(recording((consent, envelope) -> {
        }), new InMemoryAppliedConsents());
        ProducerRecord<String, byte[]> garbage = new ProducerRecord<>(Topics.CONSENT_CHANGED, key,
                ("not a cloud event from " + system).getBytes(StandardCharsets.UTF_8));
        ConsentChanged grant = decision("granted");

        RecordMetadata garbageAt = broker.send(garbage);
        send(grant);

        assertThat(awaitAcks(grant.eventId(), 1).get(0).decision()).isEqualTo("granted");
        await().atMost(WAIT).until(() -> ours(deadLetters.records()).size() == 1);
        ConsumerRecord<String, byte[]> dead = ours(deadLetters.records()).get(0);
        assertThat(dead.value()).isEqualTo(garbage.value());
        assertThat(header(dead, CommandSubscriber.HEADER_DLQ_ORIGINAL_TOPIC)).isEqualTo(Topics.CONSENT_CHANGED);
        assertThat(header(dead, CommandSubscriber.HEADER_DLQ_ORIGINAL_OFFSET))
                .isEqualTo(Long.toString(garbageAt.offset()));
        assertThat(applied).containsExactly(grant.eventId());
    }

    @Test
    void shouldReadInItsOwnGroupAndRequireWhatItCannotDoWithout() {
        ConsentSubscriberBuilder valid = ConsentSubscriber.builder().bootstrapServers("127.0.0.1:1")
                .systemName("ads-integration").ackSigningKey(Examples.STORE_KEYS.getPrivate())
                .handler((consent, envelope) -> {
                }).appliedConsents(new InMemoryAppliedConsents());

        assertThat(valid.build().groupId()).isEqualTo("consent-subscriber-ads-integration");
        assertThatThrownBy(() -> valid.appliedConsents(null).build()).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("appliedConsents");
        assertThatThrownBy(() -> valid.systemName("ads integration").build())
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ConsentSubscriber.builder().bootstrapServers("127.0.0.1:1").systemName("ads")
                .ackSigningKey(Examples.STORE_KEYS.getPrivate()).appliedConsents(new InMemoryAppliedConsents())
                .build()).isInstanceOf(NullPointerException.class).hasMessageContaining("handler");
    }

    private void start(ConsentHandler handler, AppliedConsents memory) {
        ConsentSubscriber subscriber = ConsentSubscriber.builder()
                .bootstrapServers(broker.bootstrapServers())
                .systemName(system)
                .ackSigningKey(Examples.STORE_KEYS.getPrivate())
                .handler(handler)
                .appliedConsents(memory)
                .clock(Examples.CLOCK)
                .pollTimeout(Duration.ofMillis(100))
                .retryBackoff(Duration.ofMillis(100))
                .build();
        subscribers.add(subscriber);
        subscriber.start();
    }

    /** The handler, noting the decisions of this test's subject it applied (after it returned). */
    private ConsentHandler recording(ConsentHandler handler) {
        return (consent, envelope) -> {
            handler.apply(consent, envelope);
            if (consent.subjectId().equals(subject)) {
                applied.add(consent.eventId());
            }
        };
    }

    private ConsentChanged decision(String decision) {
        return ConsentChanged.of(UUID.randomUUID(), Examples.TENANT, subject, "newsletter", "marketing_email",
                decision, "consent", "2025-04", "web", false, Examples.NOW.minusSeconds(5), UUID.randomUUID());
    }

    private RecordMetadata send(ConsentChanged consent) throws Exception {
        return broker.send(codec.envelope(consent.eventId(), "/services/consent-service", consent.tenantId(), key,
                consent).toRecord(Topics.CONSENT_CHANGED));
    }

    private List<ConsentApplied> awaitAcks(String eventId, int count) {
        await().atMost(WAIT).until(() -> acksFor(eventId).size() >= count);
        List<ConsentApplied> found = acksFor(eventId);
        assertThat(found).hasSize(count);
        return found;
    }

    private List<ConsentApplied> acksFor(String eventId) {
        return ackEnvelopes(eventId).stream().map(e -> codec.decode(e, ConsentApplied.class)).toList();
    }

    /** This subscriber's acknowledgements of the decision with {@code eventId}. */
    private List<EventEnvelope> ackEnvelopes(String eventId) {
        return acks.records().stream().map(EventEnvelope::fromRecord).filter(e -> {
            ConsentApplied ack = codec.decode(e, ConsentApplied.class);
            return ack.eventId().equals(eventId) && ack.system().equals(system);
        }).toList();
    }

    /** The dead letters this subscriber made of this test's records (later subscribers copy them again). */
    private List<ConsumerRecord<String, byte[]>> ours(List<ConsumerRecord<String, byte[]>> records) {
        return records.stream().filter(r -> key.equals(r.key())
                && system.equals(header(r, CommandSubscriber.HEADER_DLQ_SYSTEM))).toList();
    }

    private long committedOffset(RecordMetadata of) throws Exception {
        Map<TopicPartition, Long> committed = broker.committed("consent-subscriber-" + system);
        return committed.getOrDefault(new TopicPartition(of.topic(), of.partition()), -1L);
    }

    private static String header(ConsumerRecord<String, byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
