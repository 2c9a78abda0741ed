package io.privacyplatform.support.store;

import static io.privacyplatform.support.testapp.TestStoreCommands.SYSTEM;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;

import io.privacyplatform.events.EventCodec;
import io.privacyplatform.events.EventEnvelope;
import io.privacyplatform.events.RecordDigest;
import io.privacyplatform.events.Topics;
import io.privacyplatform.events.keys.JdbcSubjectKeys;
import io.privacyplatform.events.payload.AckOutcome;
import io.privacyplatform.events.payload.CommandAck;
import io.privacyplatform.events.payload.CommandKind;
import io.privacyplatform.events.payload.CommandSubject;
import io.privacyplatform.events.payload.PrivacyCommand;
import io.privacyplatform.events.subscriber.StoreRules;
import io.privacyplatform.support.testapp.TestStoreCommands;
import io.privacyplatform.testing.PlatformTestResource;
import io.privacyplatform.testing.TestDatabase;
import io.privacyplatform.testing.TestKeyStore;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The store rules, tested once: against the transactional mode, with the test app's store
 * {@value TestStoreCommands#SYSTEM}, the real broker and the real database. (The plain subscriber kit applies the
 * same {@link StoreRules}; its loop is tested in privacy-events.)
 */
@QuarkusTest
class StoreCommandInboxTests {

    private static final Duration WAIT = Duration.ofSeconds(30);
    // With the key store the services under test use: their events' personal fields are sealed.
    private static final EventCodec CODEC = new EventCodec(Clock.systemUTC(),
            JdbcSubjectKeys.fromSettings(TestKeyStore.settings()));

    private final String key = "key-" + UUID.randomUUID();

    @Test
    void shouldActOnceAndAnswerAReSentCommandWithTheRememberedAck() {
        PrivacyCommand erase = command(CommandKind.ERASE, SYSTEM, TestStoreCommands.DONE);

        send(erase);
        ConsumerRecord<String, byte[]> first = awaitAckRecords(erase, 1).get(0);
        send(erase); // re-sent by the issuer: a new event, the same command

        List<ConsumerRecord<String, byte[]>> records = awaitAckRecords(erase, 2);
        CommandAck ack = ack(first);
        assertThat(ack.outcome()).isEqualTo(AckOutcome.DONE);
        assertThat(ack.records()).isEqualTo(2);
        assertThat(ack.digest()).isEqualTo(RecordDigest.of(TestStoreCommands.RECORDS));
        assertThat(ack.system()).isEqualTo(SYSTEM);
        assertThat(ack.tenantId()).isEqualTo("acme");
        assertThat(ack.requestId()).isEqualTo(erase.requestId());
        assertThat(ack(records.get(1))).isEqualTo(ack);
        for (ConsumerRecord<String, byte[]> record : records) {
            EventEnvelope envelope = EventEnvelope.fromRecord(record);
            assertThat(envelope.source()).isEqualTo("/stores/" + SYSTEM);
            assertThat(envelope.key()).isEqualTo(key);
            assertThat(envelope.tenantId()).isEqualTo("acme");
        }
        assertThat(effects(erase)).isEqualTo(1);
        assertThat(TestDatabase.rows("SELECT system_name, outcome, records FROM store_command_outcome"
                + " WHERE command_id = ?", erase.commandId()))
                .containsExactly(java.util.Map.of("system_name", SYSTEM, "outcome", "DONE", "records", 2L));
    }

    @Test
    void shouldAnswerAReSentCommandWithTheRetainedListOfTheRememberedAck() {
        PrivacyCommand erase = command(CommandKind.ERASE, SYSTEM, TestStoreCommands.RETAINED);

        send(erase);
        awaitAckRecords(erase, 1);
        send(erase);

        List<ConsumerRecord<String, byte[]>> records = awaitAckRecords(erase, 2);
        assertThat(ack(records.get(0)).retained()).containsExactly(TestStoreCommands.KEPT);
        assertThat(ack(records.get(1))).isEqualTo(ack(records.get(0)));
        assertThat(effects(erase)).as("the re-sent command was answered from the remembered ack").isEqualTo(1);
        assertThat(TestDatabase.rows("SELECT retained->0->>'category' AS category FROM store_command_outcome"
                + " WHERE command_id = ?", erase.commandId()))
                .containsExactly(java.util.Map.of("category", "marketing_suppression"));
    }

    @Test
    void shouldSkipACommandForAnotherStore() {
        PrivacyCommand forOther = command(CommandKind.ERASE, "some-other-store", TestStoreCommands.DONE);
        PrivacyCommand forUs = command(CommandKind.ERASE, SYSTEM, TestStoreCommands.DONE);

        send(forOther);
        send(forUs); // same key, same partition: taken after the other one

        awaitAckRecords(forUs, 1);
        assertThat(ackRecords(forOther)).isEmpty();
        assertThat(effects(forOther)).isZero();
        assertThat(remembered(forOther)).isZero();
    }

    @Test
    void shouldNotRememberAFailedAckSoAReSentCommandRunsAgain() {
        PrivacyCommand erase = command(CommandKind.ERASE, SYSTEM, TestStoreCommands.FAILED);

        send(erase);
        awaitAckRecords(erase, 1);
        send(erase);

        List<ConsumerRecord<String, byte[]>> records = awaitAckRecords(erase, 2);
        assertThat(records).extracting(r -> ack(r).outcome()).containsExactly(AckOutcome.FAILED, AckOutcome.FAILED);
        assertThat(ack(records.get(0)).detail()).isEqualTo("archive offline");
        assertThat(effects(erase)).isEqualTo(2);
        assertThat(remembered(erase)).isZero();
    }

    @Test
    void shouldSendAnExportsDataAndNotRememberItSoAReSentExportRunsAgain() throws Exception {
        PrivacyCommand export = command(CommandKind.EXPORT, SYSTEM, TestStoreCommands.DONE);

        send(export);
        awaitAckRecords(export, 1);
        send(export);

        List<ConsumerRecord<String, byte[]>> records = awaitAckRecords(export, 2);
        for (ConsumerRecord<String, byte[]> record : records) {
            assertThat(ack(record).outcome()).isEqualTo(AckOutcome.DONE);
            assertThat(ack(record).data()).isEqualTo(CODEC.mapper().readTree(TestStoreCommands.EXPORTED));
        }
        assertThat(effects(export)).isEqualTo(2);
        assertThat(remembered(export)).isZero();
    }

    @Test
    void shouldDropDataReturnedForACommandOtherThanExport() {
        PrivacyCommand restrict = command(CommandKind.RESTRICT, SYSTEM, TestStoreCommands.DATA);

        send(restrict);

        CommandAck ack = ack(awaitAckRecords(restrict, 1).get(0));
        assertThat(ack.outcome()).isEqualTo(AckOutcome.DONE);
        assertThat(ack.records()).isEqualTo(2);
        assertThat(ack.data()).isNull();
        assertThat(remembered(restrict)).isEqualTo(1);
    }

    @Test
    void shouldAnswerFailedWhenTheAckWouldBeTooLarge() {
        PrivacyCommand export = command(CommandKind.EXPORT, SYSTEM, TestStoreCommands.OVERSIZE);

        send(export);

        CommandAck ack = ack(awaitAckRecords(export, 1).get(0));
        assertThat(ack.outcome()).isEqualTo(AckOutcome.FAILED);
        assertThat(ack.detail()).startsWith("the result is too large to acknowledge");
        assertThat(ack.data()).isNull();
        assertThat(ack.records()).isZero();
        assertThat(remembered(export)).isZero();
    }

    @Test
    void shouldSendAnExportTooLargeForOneAckAsOrderedPartsWhoseConcatenationIsTheData() {
        PrivacyCommand export = command(CommandKind.EXPORT, SYSTEM, TestStoreCommands.LARGE_ARRAY);

        send(export);

        // About 2.4 MB: at least three parts of at most StoreRules.PART_PAYLOAD_BYTES.
        List<ConsumerRecord<String, byte[]>> records = await().atMost(WAIT).until(() -> ackRecords(export),
                found -> !found.isEmpty() && found.size() == ack(found.get(0)).parts());
        List<CommandAck> parts = records.stream().map(StoreCommandInboxTests::ack).toList();
        assertThat(parts.size()).as("parts").isGreaterThanOrEqualTo(3);
        assertThat(parts).extracting(CommandAck::part)
                .containsExactlyElementsOf(java.util.stream.IntStream.rangeClosed(1, parts.size()).boxed().toList());
        List<Integer> numbers = new java.util.ArrayList<>();
        for (int i = 0; i < parts.size(); i++) {
            CommandAck part = parts.get(i);
            assertThat(records.get(i).value().length).isLessThanOrEqualTo(StoreRules.PART_PAYLOAD_BYTES);
            assertThat(records.get(i).key()).isEqualTo(key);
            assertThat(part.parts()).isEqualTo(parts.size());
            assertThat(part.outcome()).isEqualTo(AckOutcome.DONE);
            assertThat(part.records()).isEqualTo(TestStoreCommands.LARGE_ARRAY_ITEMS);
            assertThat(part.digest()).isEqualTo(parts.get(0).digest());
            part.data().forEach(item -> numbers.add(item.get("n").asInt()));
        }
        assertThat(numbers).containsExactlyElementsOf(
                java.util.stream.IntStream.range(0, TestStoreCommands.LARGE_ARRAY_ITEMS).boxed().toList());
        assertThat(remembered(export)).isZero();
    }

    @Test
    void shouldCutALongDetailToTheLimit() {
        PrivacyCommand purge = command(CommandKind.ERASE, SYSTEM, TestStoreCommands.LONG_DETAIL);

        send(purge);

        CommandAck ack = ack(awaitAckRecords(purge, 1).get(0));
        assertThat(ack.outcome()).isEqualTo(AckOutcome.HELD);
        assertThat(ack.detail()).hasSize(StoreRules.MAX_DETAIL_CHARS).startsWith("hhh").endsWith("…");
        assertThat(TestDatabase.rows("SELECT length(detail) AS chars FROM store_command_outcome"
                + " WHERE command_id = ?", purge.commandId()).get(0).get("chars"))
                .isEqualTo(StoreRules.MAX_DETAIL_CHARS);
    }

    @Test
    void shouldDeadLetterACommandWhoseTenantIsNotTheEnvelopes() {
        PrivacyCommand command = command(CommandKind.ERASE, SYSTEM, TestStoreCommands.DONE);
        PrivacyCommand next = command(CommandKind.ERASE, SYSTEM, TestStoreCommands.DONE);

        PlatformTestResource.kafka().send(CODEC.envelope("/services/retention-service", "globex", key, command)
                .toRecord(Topics.COMMAND));
        send(next);

        awaitAckRecords(next, 1);
        ConsumerRecord<String, byte[]> dead = awaitDeadLetter();
        assertThat(header(dead, "dead-letter-reason")).contains("differs from ce_tenantid");
        assertThat(ackRecords(command)).isEmpty();
        assertThat(effects(command)).isZero();
    }

    @Test
    void shouldRollBackAndDeadLetterACommandTheHandlerRejects() {
        PrivacyCommand rejected = command(CommandKind.ERASE, SYSTEM, TestStoreCommands.REJECT);
        PrivacyCommand next = command(CommandKind.ERASE, SYSTEM, TestStoreCommands.DONE);

        send(rejected);
        send(next);

        awaitAckRecords(next, 1);
        ConsumerRecord<String, byte[]> dead = awaitDeadLetter();
        assertThat(header(dead, "dead-letter-reason")).isEqualTo("the test store rejects this command");
        assertThat(ackRecords(rejected)).isEmpty();
        assertThat(effects(rejected)).as("the effect is rolled back with the rest").isZero();
        assertThat(remembered(rejected)).isZero();
    }

    // --- helpers

    /** A command whose first category tells the test store's handler what to answer. */
    private PrivacyCommand command(CommandKind kind, String target, String instruction) {
        return new PrivacyCommand(UUID.randomUUID().toString(), kind, "acme", target, "req-" + UUID.randomUUID(),
                new CommandSubject("subj-" + UUID.randomUUID(), null), List.of(instruction), null, null,
                Instant.now(), null, 1);
    }

    private void send(PrivacyCommand command) {
        PlatformTestResource.kafka().send(CODEC.envelope("/services/retention-service", command.tenantId(), key,
                command).toRecord(Topics.COMMAND));
    }

    private static List<ConsumerRecord<String, byte[]>> awaitAckRecords(PrivacyCommand command, int count) {
        List<ConsumerRecord<String, byte[]>> records = await().atMost(WAIT)
                .until(() -> ackRecords(command), found -> found.size() >= count);
        assertThat(records).hasSize(count);
        return records;
    }

    private static List<ConsumerRecord<String, byte[]>> ackRecords(PrivacyCommand command) {
        return PlatformTestResource.kafka().readAll(Topics.COMMAND_ACK).stream()
                .filter(r -> ack(r).commandId().equals(command.commandId())).toList();
    }

    private ConsumerRecord<String, byte[]> awaitDeadLetter() {
        return await().atMost(WAIT).until(() -> PlatformTestResource.kafka()
                .readAll(Topics.deadLetterOf(Topics.COMMAND)).stream().filter(r -> key.equals(r.key()))
                .findFirst().orElse(null), r -> r != null);
    }

    private static CommandAck ack(ConsumerRecord<String, byte[]> record) {
        return CODEC.decode(EventEnvelope.fromRecord(record), CommandAck.class);
    }

    private static long effects(PrivacyCommand command) {
        return TestDatabase.count("SELECT count(*) FROM store_effect WHERE command_id = ?", command.commandId());
    }

    private static long remembered(PrivacyCommand command) {
        return TestDatabase.count("SELECT count(*) FROM store_command_outcome WHERE command_id = ?",
                command.commandId());
    }

    private static String header(ConsumerRecord<String, byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
