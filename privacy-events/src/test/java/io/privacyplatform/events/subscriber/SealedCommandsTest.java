package io.privacyplatform.events.subscriber;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.ArrayNode;

import io.privacyplatform.events.EventCodec;
import io.privacyplatform.events.EventEnvelope;
import io.privacyplatform.events.Examples;
import io.privacyplatform.events.Topics;
import io.privacyplatform.events.keys.DataKey;
import io.privacyplatform.events.keys.DestroyedKey;
import io.privacyplatform.events.keys.JdbcSubjectKeys;
import io.privacyplatform.events.keys.SubjectKeys;
import io.privacyplatform.events.payload.CommandAck;
import io.privacyplatform.events.payload.CommandKind;
import io.privacyplatform.events.payload.CommandSubject;
import io.privacyplatform.events.payload.PrivacyCommand;
import io.privacyplatform.testing.TestKeyStore;

/**
 * The kit with the platform's key store: sealed commands are opened with no code of the store's own, an export's
 * data goes back sealed, and a command of an erased subject (its key destroyed) is skipped and committed: neither
 * handled nor acknowledged nor dead-lettered.
 */
class SealedCommandsTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static TestBroker broker;

    private final SubjectKeys keys = JdbcSubjectKeys.fromSettings(TestKeyStore.settings());
    /** retention-service's side: it seals the commands it sends. */
    private final EventCodec issuer = new EventCodec(Examples.CLOCK, keys);
    private final List<PrivacyCommand> handled = new CopyOnWriteArrayList<>();

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

    @Test
    void shouldOpenSealedCommandsSealTheExportAndSkipAnErasedSubjectsCommand() throws Exception {
        String system = "sealed-store-" + UUID.randomUUID().toString().substring(0, 8);
        String tenant = "t-" + UUID.randomUUID();
        String ann = Examples.PSEUDONYM.of(tenant, "ann");
        String bob = Examples.PSEUDONYM.of(tenant, "bob");
        ArrayNode exported = issuer.mapper().createArrayNode().add("ann's row");
        try (TestBroker.TopicReader acks = broker.reader(Topics.COMMAND_ACK);
                TestBroker.TopicReader deadLetters = broker.reader(Topics.deadLetterOf(Topics.COMMAND));
                CommandSubscriber subscriber = subscriber(system,
                        JdbcSubjectKeys.fromSettings(TestKeyStore.settings(), 0, Duration.ZERO),
                        (command, envelope) -> {
                            handled.add(command);
                            return command.kind() == CommandKind.EXPORT ? CommandResult.exported(List.of("r-1"),
                                    exported) : CommandResult.done(List.of("r-1"));
                        })) {
            subscriber.start();
            PrivacyCommand export = command(system, tenant, CommandKind.EXPORT, "ann");
            send(export, tenant, ann);
            List<EventEnvelope> exportAcks = await().atMost(WAIT).until(() -> acks.records().stream()
                    .map(EventEnvelope::fromRecord).filter(e -> ann.equals(e.key())).toList(), l -> !l.isEmpty());
            // The store saw the subject in clear; the export went back sealed with the same subject key.
            assertThat(handled).singleElement().satisfies(c -> assertThat(c.subject().email()).isEqualTo("ann@x.test"));
            assertThat(exportAcks.get(0).keyId()).isEqualTo(keys.forEncryption(tenant, ann).keyId());
            assertThat(exportAcks.get(0).dataAsText()).doesNotContain("ann's row");
            assertThat(issuer.decode(exportAcks.get(0), CommandAck.class).data()).isEqualTo(exported);

            // ann is erased: her next command (re-sent, say) is skipped and committed; bob's is carried out.
            PrivacyCommand erase = command(system, tenant, CommandKind.ERASE, "ann");
            EventEnvelope sealedErase = issuer.envelope("/services/retention-service", tenant, ann, erase);
            keys.destroy(tenant, ann);
            RecordMetadata skipped = broker.send(sealedErase.toRecord(Topics.COMMAND));
            PrivacyCommand bobs = command(system, tenant, CommandKind.ERASE, "bob");
            send(bobs, tenant, bob);
            await().atMost(WAIT).until(() -> handled.stream().anyMatch(c -> c.commandId().equals(bobs.commandId())));
            assertThat(handled).extracting(PrivacyCommand::commandId).doesNotContain(erase.commandId());
            await().atMost(WAIT).until(() -> subscriber.erasedSkipped() == 1);
            await().atMost(WAIT).until(() -> broker.committed(subscriber.groupId()).getOrDefault(
                    new TopicPartition(Topics.COMMAND, skipped.partition()), -1L) > skipped.offset());
            assertThat(acks.records()).noneMatch(r -> r.value() != null
                    && issuerCanRead(EventEnvelope.fromRecord(r), erase.commandId()));
            assertThat(deadLetters.records()).isEmpty();
        }
    }

    /**
     * The key store's database restarts while a sealed command waits: opening it fails, which is not the command's
     * fault. It must not be dead-lettered (ScaleOutIT found such commands on privacy.command.v1.dlq after a PostgreSQL
     * crash); it is taken again until the key store answers, then handled once.
     */
    @Test
    void shouldRetryASealedCommandWhileTheKeyStoreIsAwayInsteadOfDeadLetteringIt() throws Exception {
        String system = "sealed-store-" + UUID.randomUUID().toString().substring(0, 8);
        String tenant = "t-" + UUID.randomUUID();
        String cat = Examples.PSEUDONYM.of(tenant, "cat");
        SubjectKeys reachable = JdbcSubjectKeys.fromSettings(TestKeyStore.settings(), 0, Duration.ZERO);
        AtomicInteger refusals = new AtomicInteger(3);
        SubjectKeys restarting = new SubjectKeys() {
            @Override
            public DataKey forEncryption(String tenantId, String subjectRef) {
                return reachable.forEncryption(tenantId, subjectRef);
            }

            @Override
            public DataKey forDecryption(String keyId) {
                if (refusals.getAndDecrement() > 0) {
                    throw new IllegalStateException("the key store cannot be reached");
                }
                return reachable.forDecryption(keyId);
            }

            @Override
            public List<DestroyedKey> destroy(String tenantId, String subjectRef) {
                return reachable.destroy(tenantId, subjectRef);
            }
        };
        try (TestBroker.TopicReader acks = broker.reader(Topics.COMMAND_ACK);
                TestBroker.TopicReader deadLetters = broker.reader(Topics.deadLetterOf(Topics.COMMAND));
                CommandSubscriber subscriber = subscriber(system, restarting, (command, envelope) -> {
                    handled.add(command);
                    return CommandResult.done(List.of("r-1"));
                })) {
            subscriber.start();
            PrivacyCommand erase = command(system, tenant, CommandKind.ERASE, "cat");
            send(erase, tenant, cat);
            await().atMost(WAIT).until(() -> acks.records().stream().map(EventEnvelope::fromRecord)
                    .anyMatch(e -> cat.equals(e.key())));
            assertThat(refusals.get()).as("the key store refused first").isNegative();
            assertThat(handled).extracting(PrivacyCommand::commandId).containsExactly(erase.commandId());
            assertThat(deadLetters.records()).isEmpty();
        }
    }

    /** A store on the kit with the given key store, polling and retrying quickly. */
    private static CommandSubscriber subscriber(String system, SubjectKeys keys, CommandHandler handler) {
        return CommandSubscriber.builder()
                .bootstrapServers(broker.bootstrapServers())
                .systemName(system)
                .ackSigningKey(Examples.STORE_KEYS.getPrivate())
                .subjectKeys(keys)
                .handler(handler)
                .acknowledgedCommands(new InMemoryAcknowledgedCommands())
                .clock(Examples.CLOCK)
                .pollTimeout(Duration.ofMillis(100))
                .retryBackoff(Duration.ofMillis(100))
                .build();
    }

    private boolean issuerCanRead(EventEnvelope ack, String commandId) {
        return ack.dataAsText().contains(commandId);
    }

    private RecordMetadata send(PrivacyCommand command, String tenant, String key) throws Exception {
        return broker.send(issuer.envelope("/services/retention-service", tenant, key, command)
                .toRecord(Topics.COMMAND));
    }

    private static PrivacyCommand command(String system, String tenant, CommandKind kind, String subject) {
        return new PrivacyCommand(UUID.randomUUID().toString(), kind, tenant, system, "request-" + subject,
                new CommandSubject(subject, subject + "@x.test"), List.of("mail-log"), null, Map.of(),
                Instant.parse("2025-05-01T10:15:30Z"), null, 1);
    }
}
