package io.privacyplatform.events.subscriber;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

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

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

import io.privacyplatform.events.EventCodec;
import io.privacyplatform.events.EventEnvelope;
import io.privacyplatform.events.EventSignature;
import io.privacyplatform.events.EventType;
import io.privacyplatform.events.Examples;
import io.privacyplatform.events.RecordDigest;
import io.privacyplatform.events.Topics;
import io.privacyplatform.events.payload.AckOutcome;
import io.privacyplatform.events.payload.CommandAck;
import io.privacyplatform.events.payload.CommandKind;
import io.privacyplatform.events.payload.CommandSubject;
import io.privacyplatform.events.payload.PrivacyCommand;

/** The subscriber kit against a real (in-process) broker. Each test is a store of its own name and group. */
class CommandSubscriberTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static TestBroker broker;

    private final EventCodec codec = new EventCodec();
    private final List<CommandSubscriber> subscribers = new ArrayList<>();
    private final List<String> handled = new CopyOnWriteArrayList<>();
    private TestBroker.TopicReader acks;
    private TestBroker.TopicReader deadLetters;
    private String system;
    private String key;

    @BeforeAll
    static void startBroker() throws Exception {
        broker = TestBroker.start();
        broker.createTopic(Topics.COMMAND, 3);
        broker.createTopic(Topics.COMMAND_ACK, 3);
        broker.createTopic(Topics.deadLetterOf(Topics.COMMAND), 1);
    }

    @AfterAll
    static void stopBroker() throws Exception {
        broker.close();
    }

    @BeforeEach
    void setUp(TestInfo test) {
        system = "store-" + test.getTestMethod().orElseThrow().getName().toLowerCase();
        key = Examples.PSEUDONYM.of(Examples.TENANT, system);
        acks = broker.reader(Topics.COMMAND_ACK);
        deadLetters = broker.reader(Topics.deadLetterOf(Topics.COMMAND));
    }

    @AfterEach
    void tearDown() {
        subscribers.forEach(CommandSubscriber::close);
        acks.close();
        deadLetters.close();
    }

    @Test
    void aCommandForThisSystemIsHandledOnceAndAcknowledgedAfterwards() throws Exception {
        InMemoryAcknowledgedCommands store = new InMemoryAcknowledgedCommands();
        start(system, counting((command, envelope) -> CommandResult.done(List.of("r-2", "r-1", "r-3"))), store);
        PrivacyCommand command = command(system);

        RecordMetadata sent = send(command);

        CommandAck ack = awaitAcks(command.commandId(), 1).get(0);
        assertThat(ack.outcome()).isEqualTo(AckOutcome.DONE);
        assertThat(ack.records()).isEqualTo(3);
        assertThat(ack.digest()).isEqualTo(RecordDigest.of("r-1", "r-2", "r-3"));
        assertThat(ack.system()).isEqualTo(system);
        assertThat(ack.tenantId()).isEqualTo(command.tenantId());
        assertThat(ack.requestId()).isEqualTo(command.requestId());
        assertThat(ack.completedAt()).isEqualTo(Examples.NOW);
        assertThat(ack.data()).isNull();
        assertThat(handled).containsExactly(command.commandId());

        EventEnvelope envelope = ackEnvelopes(command.commandId()).get(0);
        assertThat(envelope.source()).isEqualTo("/stores/" + system);
        assertThat(envelope.eventType()).isEqualTo(EventType.COMMAND_ACK);
        assertThat(envelope.tenantId()).isEqualTo(Examples.TENANT);
        assertThat(envelope.key()).isEqualTo(key);
        ConsumerRecord<String, byte[]> ackRecord = acks.records().stream()
                .filter(r -> EventEnvelope.fromRecord(r).id().equals(envelope.id())).findFirst().orElseThrow();
        assertThatCode(() -> EventSignature.verify(envelope, ackRecord.headers(), Examples.STORE_KEYS.getPublic()))
                .as("the ack is signed with the store's key").doesNotThrowAnyException();

        assertThat(store.find(command.commandId())).contains(ack);
        await().atMost(WAIT).until(() -> committedOffset("store-" + system, sent) == sent.offset() + 1);
    }

    @Test
    void aRepeatedCommandIsHandledOnceAndItsAckPublishedAgain() throws Exception {
        InMemoryAcknowledgedCommands store = new InMemoryAcknowledgedCommands();
        start(system, counting((command, envelope) -> CommandResult.done(List.of("r-1"))), store);
        PrivacyCommand command = command(system);

        send(command);
        send(command);

        List<CommandAck> both = awaitAcks(command.commandId(), 2);
        assertThat(both.get(1)).isEqualTo(both.get(0));
        assertThat(handled).containsExactly(command.commandId());
        List<EventEnvelope> envelopes = ackEnvelopes(command.commandId());
        assertThat(envelopes.get(1).id()).as("a republished ack is recognisably the same event")
                .isEqualTo(envelopes.get(0).id());
    }

    @Test
    void aPoisonRecordGoesToTheDeadLetterTopicAndTheNextCommandIsStillHandled() throws Exception {
        start(system, counting((command, envelope) -> CommandResult.done(List.of("r-1"))),
                new InMemoryAcknowledgedCommands());
        ProducerRecord<String, byte[]> garbage = new ProducerRecord<>(Topics.COMMAND, key,
                ("not a cloud event from " + system).getBytes(StandardCharsets.UTF_8));
        garbage.headers().add("x-trace", "t-1".getBytes(StandardCharsets.UTF_8));
        ProducerRecord<String, byte[]> incomplete = withoutCommandId(command(system));
        PrivacyCommand good = command(system);

        RecordMetadata garbageAt = broker.send(garbage);
        RecordMetadata incompleteAt = broker.send(incomplete);
        send(good);

        assertThat(awaitAcks(good.commandId(), 1).get(0).outcome()).isEqualTo(AckOutcome.DONE);
        assertThat(handled).containsExactly(good.commandId());
        await().atMost(WAIT).until(() -> ours(deadLetters.records()).size() == 2);
        List<ConsumerRecord<String, byte[]>> dead = ours(deadLetters.records());

        ConsumerRecord<String, byte[]> first = dead.get(0);
        assertThat(first.key()).isEqualTo(key);
        assertThat(first.value()).isEqualTo(garbage.value());
        assertThat(header(first, "x-trace")).isEqualTo("t-1");
        assertThat(header(first, CommandSubscriber.HEADER_DLQ_ERROR)).contains("not a CloudEvent");
        assertThat(header(first, CommandSubscriber.HEADER_DLQ_ORIGINAL_TOPIC)).isEqualTo(Topics.COMMAND);
        assertThat(header(first, CommandSubscriber.HEADER_DLQ_ORIGINAL_PARTITION))
                .isEqualTo(Integer.toString(garbageAt.partition()));
        assertThat(header(first, CommandSubscriber.HEADER_DLQ_ORIGINAL_OFFSET))
                .isEqualTo(Long.toString(garbageAt.offset()));

        ConsumerRecord<String, byte[]> second = dead.get(1);
        assertThat(second.value()).isEqualTo(incomplete.value());
        assertThat(header(second, "ce_type")).isEqualTo(EventType.COMMAND.type());
        assertThat(header(second, CommandSubscriber.HEADER_DLQ_ERROR)).contains("'commandId'");
        assertThat(header(second, CommandSubscriber.HEADER_DLQ_ORIGINAL_OFFSET))
                .isEqualTo(Long.toString(incompleteAt.offset()));
        assertThat(header(second, CommandSubscriber.HEADER_DLQ_SYSTEM)).isEqualTo(system);
    }

    /**
     * A poll of many commands (sent before the store starts, so they arrive together), a poison record among them:
     * every command is handled once, in order, and answered by exactly one ack; the poison record is dead-lettered;
     * the offset after the last record is committed (the acks of the poll are confirmed together, not one by one).
     */
    @Test
    void aPollOfManyCommandsWithAPoisonRecordGetsOneAckPerCommandAndIsCommittedAfterwards() throws Exception {
        InMemoryAcknowledgedCommands store = new InMemoryAcknowledgedCommands();
        List<String> sentIds = new ArrayList<>();
        RecordMetadata last = null;
        for (int i = 0; i < 40; i++) {
            if (i == 20) {
                broker.send(new ProducerRecord<>(Topics.COMMAND, key,
                        ("poison from " + system).getBytes(StandardCharsets.UTF_8)));
            }
            PrivacyCommand command = command(system);
            sentIds.add(command.commandId());
            last = send(command);
        }
        start(system, counting((command, envelope) -> CommandResult.done(List.of("r-1"))), store);

        await().atMost(WAIT).until(() -> acksByCommand().keySet().containsAll(sentIds));
        Map<String, List<CommandAck>> answered = acksByCommand();
        sentIds.forEach(id -> assertThat(answered.get(id)).as("acks of %s", id).hasSize(1)
                .allSatisfy(ack -> assertThat(ack.outcome()).isEqualTo(AckOutcome.DONE)));
        assertThat(handled).containsExactlyElementsOf(sentIds);
        sentIds.forEach(id -> assertThat(store.find(id)).isPresent());
        byte[] poison = ("poison from " + system).getBytes(StandardCharsets.UTF_8);
        await().atMost(WAIT).until(() -> ours(deadLetters.records()).stream()
                .anyMatch(r -> java.util.Arrays.equals(r.value(), poison)));
        RecordMetadata lastSent = last;
        await().atMost(WAIT).until(() -> committedOffset("store-" + system, lastSent) == lastSent.offset() + 1);
    }

    @Test
    void aHandlerExceptionGivesAFailedAckAndTheCommandIsHandledAgainWhenResent() throws Exception {
        InMemoryAcknowledgedCommands store = new InMemoryAcknowledgedCommands();
        start(system, counting((command, envelope) -> {
            throw new IllegalStateException("mail archive unavailable");
        }), store);
        PrivacyCommand command = command(system);

        send(command);

        CommandAck ack = awaitAcks(command.commandId(), 1).get(0);
        assertThat(ack.outcome()).isEqualTo(AckOutcome.FAILED);
        assertThat(ack.detail()).isEqualTo("mail archive unavailable");
        assertThat(ack.records()).isZero();
        assertThat(store.find(command.commandId())).isEmpty();

        send(command);

        awaitAcks(command.commandId(), 2);
        assertThat(handled).containsExactly(command.commandId(), command.commandId());
    }

    @Test
    void aRestartedStoreDoesNotHandleCommittedCommandsAgain() throws Exception {
        String group = "store-" + system;
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<Boolean> released = new CopyOnWriteArrayList<>();
        CommandSubscriber first = start(system, counting((command, envelope) -> {
            entered.countDown();
            released.add(release.await(30, TimeUnit.SECONDS)); // asserted on the test thread
            return CommandResult.done(List.of("r-1"));
        }), new InMemoryAcknowledgedCommands());
        PrivacyCommand one = command(system);

        RecordMetadata oneAt = send(one);

        assertThat(entered.await(30, TimeUnit.SECONDS)).isTrue();
        assertThat(committedOffset(group, oneAt)).as("nothing is committed while the handler runs")
                .isLessThanOrEqualTo(oneAt.offset());
        release.countDown();
        awaitAcks(one.commandId(), 1);
        assertThat(released).containsExactly(true);
        await().atMost(WAIT).until(() -> committedOffset(group, oneAt) == oneAt.offset() + 1);
        PrivacyCommand two = command(system);
        send(two);
        awaitAcks(two.commandId(), 1);
        first.close();
        assertThat(first.isRunning()).isFalse();

        // A fresh store memory: only the committed offsets keep the restarted store from handling them again.
        List<String> afterRestart = new CopyOnWriteArrayList<>();
        start(system, (command, envelope) -> {
            afterRestart.add(command.commandId());
            return CommandResult.done(List.of("r-9"));
        }, new InMemoryAcknowledgedCommands());
        PrivacyCommand three = command(system);
        send(three); // same key and partition: taken only after anything uncommitted before it

        awaitAcks(three.commandId(), 1);
        assertThat(afterRestart).containsExactly(three.commandId());
        assertThat(acksFor(one.commandId())).hasSize(1);
        assertThat(acksFor(two.commandId())).hasSize(1);
    }

    @Test
    void anAckThatCannotBeRememberedIsRetriedWithoutRunningTheHandlerAgain() throws Exception {
        AtomicInteger failuresLeft = new AtomicInteger(2);
        InMemoryAcknowledgedCommands memory = new InMemoryAcknowledgedCommands();
        AcknowledgedCommands flaky = new AcknowledgedCommands() {
            @Override
            public java.util.Optional<CommandAck> find(String commandId) {
                return memory.find(commandId);
            }

            @Override
            public void remember(CommandAck ack) {
                if (failuresLeft.getAndDecrement() > 0) {
                    throw new IllegalStateException("database briefly unavailable");
                }
                memory.remember(ack);
            }
        };
        start(system, counting((command, envelope) -> CommandResult.done(List.of("r-1", "r-2"))), flaky);
        PrivacyCommand command = command(system);
        PrivacyCommand next = command(system);

        RecordMetadata sent = send(command);
        send(next);

        // The acks of one poll are confirmed together: next's ack may be out before the first command's retries.
        awaitAcks(next.commandId(), 1);
        awaitAcks(command.commandId(), 3);
        assertThat(handled).containsExactly(command.commandId(), next.commandId());
        List<CommandAck> published = acksFor(command.commandId());
        assertThat(published).hasSize(3).allSatisfy(ack -> assertThat(ack).isEqualTo(published.get(0)));
        assertThat(memory.find(command.commandId())).contains(published.get(0));
        await().atMost(WAIT).until(() -> committedOffset("store-" + system, sent) == sent.offset() + 2);
    }

    @Test
    void aValidCommandThatMeetsABugIsTakenAgainNeitherDeadLetteredNorSkippedAndTheSubscriberKeepsRunning()
            throws Exception {
        AtomicInteger bugsLeft = new AtomicInteger(2);
        InMemoryAcknowledgedCommands memory = new InMemoryAcknowledgedCommands();
        AcknowledgedCommands buggy = new AcknowledgedCommands() {
            @Override
            public java.util.Optional<CommandAck> find(String commandId) {
                // A store's implementation with a bug: null instead of an empty Optional, the first times.
                return bugsLeft.getAndDecrement() > 0 ? null : memory.find(commandId);
            }

            @Override
            public void remember(CommandAck ack) {
                memory.remember(ack);
            }
        };
        CommandSubscriber subscriber = start(system,
                counting((command, envelope) -> CommandResult.done(List.of("r-1"))), buggy);
        PrivacyCommand command = command(system);
        PrivacyCommand next = command(system);

        RecordMetadata sent = send(command);
        send(next);

        awaitAcks(next.commandId(), 1);
        assertThat(bugsLeft.get()).isNegative();
        assertThat(subscriber.isRunning()).isTrue();
        assertThat(handled).containsExactly(command.commandId(), next.commandId());
        assertThat(acksFor(command.commandId())).hasSize(1);
        // (This store also reads other tests' poison records and copies them; none of them has this test's key.)
        assertThat(ours(deadLetters.records())).noneMatch(r -> key.equals(r.key()));
        await().atMost(WAIT).until(() -> committedOffset("store-" + system, sent) == sent.offset() + 2);
    }

    @Test
    void closeLetsARunningHandlerFinishAndCommitsTheFinishedCommand() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<String> endings = new CopyOnWriteArrayList<>();
        CommandSubscriber subscriber = start(system, counting(blockingUntil(entered, release, endings)),
                new InMemoryAcknowledgedCommands(), Duration.ofSeconds(20));
        PrivacyCommand command = command(system);
        RecordMetadata sent = send(command);
        assertThat(entered.await(30, TimeUnit.SECONDS)).isTrue();

        CompletableFuture<Void> closed = CompletableFuture.runAsync(subscriber::close);
        await().during(Duration.ofMillis(500)).atMost(WAIT).until(() -> !closed.isDone());
        release.countDown();
        closed.get(30, TimeUnit.SECONDS);
        subscriber.close(); // idempotent

        assertThat(endings).containsExactly("released");
        assertThat(subscriber.isRunning()).isFalse();
        assertThat(committedOffset("store-" + system, sent)).isEqualTo(sent.offset() + 1);
        awaitAcks(command.commandId(), 1); // published before the commit; the topic reader sees it a little later
    }

    @Test
    void closeInterruptsAHandlerThatOutlastsTheCloseTimeoutAndCommitsNothingOfIt() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        List<String> endings = new CopyOnWriteArrayList<>();
        CommandSubscriber subscriber = start(system, counting(blockingUntil(entered, new CountDownLatch(1), endings)),
                new InMemoryAcknowledgedCommands(), Duration.ofMillis(300));
        PrivacyCommand command = command(system);
        RecordMetadata sent = send(command);
        assertThat(entered.await(30, TimeUnit.SECONDS)).isTrue();

        subscriber.close();

        await().atMost(WAIT).until(() -> !subscriber.isRunning());
        assertThat(endings).containsExactly("interrupted");
        assertThat(acksFor(command.commandId())).isEmpty();
        assertThat(committedOffset("store-" + system, sent)).isLessThanOrEqualTo(sent.offset());
    }

    @Test
    void anExportTooLargeForOneAckIsPublishedAsOrderedPartsBeforeItsOffsetIsCommitted() throws Exception {
        int items = 30_000;
        ArrayNode data = codec.mapper().createArrayNode();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < items; i++) {
            data.addObject().put("n", i).put("subject", "Your invoice number " + i);
            ids.add("r-" + i);
        }
        start(system, counting((command, envelope) -> CommandResult.exported(ids, data)),
                new InMemoryAcknowledgedCommands());
        PrivacyCommand export = command(system, CommandKind.EXPORT);

        RecordMetadata sent = send(export);

        await().atMost(WAIT).until(() -> {
            List<CommandAck> found = acksFor(export.commandId());
            return !found.isEmpty() && found.size() == found.get(0).parts();
        });
        List<CommandAck> parts = acksFor(export.commandId());
        assertThat(parts.size()).as("parts").isGreaterThanOrEqualTo(2);
        List<Integer> numbers = new ArrayList<>();
        for (int i = 0; i < parts.size(); i++) {
            CommandAck part = parts.get(i);
            assertThat(part.part()).isEqualTo(i + 1);
            assertThat(part.parts()).isEqualTo(parts.size());
            assertThat(part.outcome()).isEqualTo(AckOutcome.DONE);
            assertThat(part.records()).isEqualTo(items);
            assertThat(part.digest()).isEqualTo(RecordDigest.of(ids));
            part.data().forEach(item -> numbers.add(item.get("n").asInt()));
        }
        assertThat(numbers).containsExactlyElementsOf(IntStream.range(0, items).boxed().toList());
        List<EventEnvelope> envelopes = ackEnvelopes(export.commandId());
        assertThat(envelopes).allSatisfy(e -> {
            assertThat(e.data().length).isLessThanOrEqualTo(StoreRules.PART_PAYLOAD_BYTES);
            assertThat(e.key()).isEqualTo(key);
        });
        assertThat(envelopes.stream().map(EventEnvelope::id).distinct().count()).as("one event id per part")
                .isEqualTo(parts.size());
        assertThat(handled).containsExactly(export.commandId());
        await().atMost(WAIT).until(() -> committedOffset("store-" + system, sent) == sent.offset() + 1);
    }

    @Test
    void anExportTooLargeForOneAckThatIsNotAnArrayIsAnsweredFailed() throws Exception {
        start(system, (command, envelope) -> CommandResult.exported(List.of("r-1"),
                TextNode.valueOf("x".repeat(EventCodec.MAX_PAYLOAD_BYTES))), new InMemoryAcknowledgedCommands());
        PrivacyCommand export = command(system, CommandKind.EXPORT);

        send(export);

        CommandAck ack = awaitAcks(export.commandId(), 1).get(0);
        assertThat(ack.outcome()).isEqualTo(AckOutcome.FAILED);
        assertThat(ack.detail()).startsWith("the result is too large to acknowledge");
        assertThat(ack.data()).isNull();
        assertThat(ack.part()).isNull();
    }

    @Test
    void shouldRefuseAPurgeOfEveryAccountWithoutADecisionAndPurgeNothing() throws Exception {
        start(system, counting((command, envelope) -> CommandResult.done(List.of("r-1"))),
                new InMemoryAcknowledgedCommands());
        PrivacyCommand undecided = purge(PrivacyCommand.EVERY_ACCOUNT, null);
        PrivacyCommand decided = purge(PrivacyCommand.EVERY_ACCOUNT, UUID.randomUUID().toString());
        PrivacyCommand ofOneTenant = purge(Examples.TENANT, null);

        send(undecided);
        send(decided);
        send(ofOneTenant);

        CommandAck refused = awaitAcks(undecided.commandId(), 1).get(0);
        assertThat(refused.outcome()).isEqualTo(AckOutcome.FAILED);
        assertThat(refused.records()).isZero();
        assertThat(refused.detail()).isEqualTo(StoreRules.NO_DECISION);
        assertThat(awaitAcks(decided.commandId(), 1).get(0).outcome()).isEqualTo(AckOutcome.DONE);
        assertThat(awaitAcks(ofOneTenant.commandId(), 1).get(0).outcome()).isEqualTo(AckOutcome.DONE);
        // The handler never saw the refused one: nothing was purged for it.
        assertThat(handled).containsExactlyInAnyOrder(decided.commandId(), ofOneTenant.commandId());
    }

    // --- helpers

    private PrivacyCommand purge(String tenant, String decisionId) {
        return new PrivacyCommand(UUID.randomUUID().toString(), CommandKind.PURGE, tenant, system, null, null,
                List.of("mail-log"), Examples.NOW.minusSeconds(3600), null, Examples.NOW, null, 1, decisionId);
    }

    private CommandSubscriber start(String systemName, CommandHandler handler, AcknowledgedCommands store) {
        return start(systemName, handler, store, Duration.ofSeconds(5));
    }

    private CommandSubscriber start(String systemName, CommandHandler handler, AcknowledgedCommands store,
            Duration closeTimeout) {
        CommandSubscriber subscriber = CommandSubscriber.builder()
                .bootstrapServers(broker.bootstrapServers())
                .systemName(systemName)
                .ackSigningKey(Examples.STORE_KEYS.getPrivate())
                .handler(handler)
                .acknowledgedCommands(store)
                .clock(Examples.CLOCK)
                .pollTimeout(Duration.ofMillis(100))
                .retryBackoff(Duration.ofMillis(100))
                .closeTimeout(closeTimeout)
                .build();
        subscribers.add(subscriber);
        return subscriber.start();
    }

    private CommandHandler counting(CommandHandler handler) {
        return (command, envelope) -> {
            handled.add(command.commandId());
            return handler.handle(command, envelope);
        };
    }

    /** Waits for {@code release}; notes in {@code endings} whether it was released or interrupted. */
    private static CommandHandler blockingUntil(CountDownLatch entered, CountDownLatch release,
            List<String> endings) {
        return (command, envelope) -> {
            entered.countDown();
            try {
                endings.add(release.await(60, TimeUnit.SECONDS) ? "released" : "timed out");
            } catch (InterruptedException e) {
                endings.add("interrupted");
                throw e;
            }
            return CommandResult.done(List.of("r-1"));
        };
    }

    private PrivacyCommand command(String target) {
        return command(target, CommandKind.ERASE);
    }

    private PrivacyCommand command(String target, CommandKind kind) {
        return new PrivacyCommand(UUID.randomUUID().toString(), kind, Examples.TENANT, target,
                Examples.REQUEST, new CommandSubject(system, null), List.of(), null, null, Examples.NOW,
                null, 1);
    }

    private RecordMetadata send(PrivacyCommand command) throws Exception {
        return broker.send(codec.envelope("/services/retention-service", command.tenantId(), key, command)
                .toRecord(Topics.COMMAND));
    }

    private ProducerRecord<String, byte[]> withoutCommandId(PrivacyCommand command) throws Exception {
        ObjectNode json = (ObjectNode) codec.mapper().readTree(codec.encode(command));
        json.remove("commandId");
        EventEnvelope valid = codec.envelope("/services/retention-service", command.tenantId(), key, command);
        return new EventEnvelope(valid.id(), valid.source(), valid.type(), valid.time(), valid.subject(),
                valid.tenantId(), valid.key(), codec.mapper().writeValueAsBytes(json)).toRecord(Topics.COMMAND);
    }

    private List<CommandAck> awaitAcks(String commandId, int count) {
        await().atMost(WAIT).until(() -> acksFor(commandId).size() >= count);
        List<CommandAck> found = acksFor(commandId);
        assertThat(found).hasSize(count);
        return found;
    }

    /** Every ack on the topic, by command id (one read of the topic). */
    private Map<String, List<CommandAck>> acksByCommand() {
        return acks.records().stream().map(r -> codec.decode(EventEnvelope.fromRecord(r), CommandAck.class))
                .collect(java.util.stream.Collectors.groupingBy(CommandAck::commandId));
    }

    private List<CommandAck> acksFor(String commandId) {
        return ackEnvelopes(commandId).stream().map(e -> codec.decode(e, CommandAck.class)).toList();
    }

    private List<EventEnvelope> ackEnvelopes(String commandId) {
        return acks.records().stream().map(EventEnvelope::fromRecord)
                .filter(e -> codec.decode(e, CommandAck.class).commandId().equals(commandId)).toList();
    }

    private List<ConsumerRecord<String, byte[]>> ours(List<ConsumerRecord<String, byte[]>> records) {
        return records.stream().filter(r -> system.equals(header(r, CommandSubscriber.HEADER_DLQ_SYSTEM)))
                .toList();
    }

    private long committedOffset(String group, RecordMetadata of) throws Exception {
        Map<TopicPartition, Long> committed = broker.committed(group);
        return committed.getOrDefault(new TopicPartition(of.topic(), of.partition()), -1L);
    }

    private static String header(ConsumerRecord<String, byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
