package io.privacyplatform.retention.service;

import static io.privacyplatform.retention.RetentionFixtures.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.MeterRegistry;
import io.privacyplatform.events.Ed25519Keys;
import io.privacyplatform.events.EventEnvelope;
import io.privacyplatform.events.EventSignature;
import io.privacyplatform.events.RecordDigest;
import io.privacyplatform.events.Topics;
import io.privacyplatform.events.payload.AckOutcome;
import io.privacyplatform.events.payload.CommandAck;
import io.privacyplatform.events.payload.PrivacyCommand;
import io.privacyplatform.events.payload.RightsRequestChanged;
import io.privacyplatform.testing.PlatformTestResource;
import io.privacyplatform.testing.TestDatabase;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Anyone who can write the ack topic can claim to be any store: an ack counts only when it is signed with the key
 * the store registered on the data map. A forged DONE must not complete a command, let alone yield a certificate.
 */
@QuarkusTest
class AckSignatureIT {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Inject
    MeterRegistry meters;

    @BeforeEach
    void cleanDataMap() {
        resetDataMap();
    }

    @Test
    void shouldRejectForgedAcksAndCompleteTheCommandOnlyWithTheStoresOwn() {
        String crm = unique("crm");
        registerSystem(crm, List.of("contact"), List.of("erase"), "PT30S");
        RightsRequestChanged request = verified("acme", "erasure", unique("subj"));
        send(Topics.RIGHTS_REQUEST, envelope(request));
        PrivacyCommand command = await().atMost(WAIT).until(() -> commandsOn(request.requestId()),
                c -> c.size() == 1).get(0);
        String key = PSEUDONYM.of("acme", request.subjectId());
        double badSignaturesBefore = rejected("bad_signature");
        double unsignedBefore = rejected("unsigned");

        EventEnvelope signedByAnother = ackEnvelope(done(command), "acme", key);
        EventEnvelope unsigned = ackEnvelope(done(command), "acme", key);
        sendSignedBy(new EventSignature(crm, Ed25519Keys.generate().getPrivate()), Topics.COMMAND_ACK,
                signedByAnother);
        sendSignedBy(null, Topics.COMMAND_ACK, unsigned);

        List<ConsumerRecord<String, byte[]>> dead = await().atMost(WAIT).until(() -> deadAcks(key),
                records -> records.size() == 2);
        assertThat(dead).extracting(r -> header(r, "dead-letter-reason")).anySatisfy(
                reason -> assertThat(reason).contains(signedByAnother.id()).contains("bad_signature"))
                .anySatisfy(reason -> assertThat(reason).contains(unsigned.id()).contains("unsigned"));
        assertThat(commandState(command)).isEqualTo("sent");
        assertThat(requestState(request.requestId())).isNotEqualTo("completed");
        assertThat(certificates(request)).isZero();
        assertThat(TestDatabase.count("SELECT count(*) FROM inbox_event WHERE event_id IN (?, ?)",
                signedByAnother.id(), unsigned.id())).as("a rejected ack is not even remembered").isZero();
        assertThat(rejected("bad_signature") - badSignaturesBefore).isEqualTo(1.0);
        assertThat(rejected("unsigned") - unsignedBefore).isEqualTo(1.0);

        // The store's own ack, signed with the key it registered, completes the command and yields the certificate.
        send(Topics.COMMAND_ACK, ackEnvelope(done(command), "acme", key));

        await().atMost(WAIT).until(() -> "done".equals(commandState(command)));
        await().atMost(WAIT).until(() -> certificates(request) == 1);
    }

    @Test
    void shouldRejectAnAckOfASystemNotOnTheDataMap() {
        String crm = unique("crm");
        registerSystem(crm, List.of("contact"), List.of("erase"), "PT30S");
        RightsRequestChanged request = verified("acme", "erasure", unique("subj"));
        send(Topics.RIGHTS_REQUEST, envelope(request));
        PrivacyCommand command = await().atMost(WAIT).until(() -> commandsOn(request.requestId()),
                c -> c.size() == 1).get(0);
        String key = PSEUDONYM.of("acme", request.subjectId());
        CommandAck fromNowhere = new CommandAck(command.commandId(), unique("ghost"), "acme", request.requestId(),
                AckOutcome.DONE, 1, RecordDigest.of("g-1"), null, null, Instant.now());

        EventEnvelope ghost = ackEnvelope(fromNowhere, "acme", key);
        send(Topics.COMMAND_ACK, ghost);

        ConsumerRecord<String, byte[]> dead = await().atMost(WAIT).until(() -> deadAcks(key),
                records -> records.size() == 1).get(0);
        assertThat(header(dead, "dead-letter-reason")).contains(ghost.id()).contains("unknown_system");
        assertThat(commandState(command)).isEqualTo("sent");
    }

    private static CommandAck done(PrivacyCommand command) {
        return new CommandAck(command.commandId(), command.targetSystem(), command.tenantId(), command.requestId(),
                AckOutcome.DONE, 1, RecordDigest.of("crm-1"), null, null, Instant.now());
    }

    private double rejected(String reason) {
        return meters.counter("privacy.acks.rejected", "reason", reason).count();
    }

    private static List<ConsumerRecord<String, byte[]>> deadAcks(String key) {
        return PlatformTestResource.kafka().readAll(Topics.deadLetterOf(Topics.COMMAND_ACK)).stream()
                .filter(r -> key.equals(r.key())).toList();
    }

    private static String commandState(PrivacyCommand command) {
        return (String) TestDatabase.rows("SELECT state FROM subject_command WHERE command_id = ?",
                command.commandId()).get(0).get("state");
    }

    private static long certificates(RightsRequestChanged request) {
        return TestDatabase.count("SELECT count(*) FROM certificate WHERE request_id = ?", request.requestId());
    }

    private static String header(ConsumerRecord<String, byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
