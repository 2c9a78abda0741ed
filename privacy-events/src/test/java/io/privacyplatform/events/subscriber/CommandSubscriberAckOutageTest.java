package io.privacyplatform.events.subscriber;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.privacyplatform.events.EventCodec;
import io.privacyplatform.events.EventEnvelope;
import io.privacyplatform.events.Examples;
import io.privacyplatform.events.Topics;
import io.privacyplatform.events.payload.AckOutcome;
import io.privacyplatform.events.payload.CommandAck;
import io.privacyplatform.events.payload.CommandKind;
import io.privacyplatform.events.payload.CommandSubject;
import io.privacyplatform.events.payload.PrivacyCommand;

/**
 * When the ack cannot be published, nothing is committed and the same ack is retried until it can be: here the
 * ack topic does not exist at first (the broker does not create topics), which fails every send like an outage of
 * the topic's leader would.
 */
class CommandSubscriberAckOutageTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String SYSTEM = "mail-log-store";
    private static TestBroker broker;

    @BeforeAll
    static void startBroker() throws Exception {
        broker = TestBroker.start();
        broker.createTopic(Topics.COMMAND, 3);
        broker.createTopic(Topics.deadLetterOf(Topics.COMMAND), 1);
    }

    @AfterAll
    static void stopBroker() throws Exception {
        broker.close();
    }

    @Test
    void anAckThatCannotBePublishedIsRetriedUntilItIsAndOnlyThenCommitted() throws Exception {
        EventCodec codec = new EventCodec();
        List<String> handled = new CopyOnWriteArrayList<>();
        InMemoryAcknowledgedCommands store = new InMemoryAcknowledgedCommands();
        PrivacyCommand command = new PrivacyCommand(UUID.randomUUID().toString(), CommandKind.ERASE,
                Examples.TENANT, SYSTEM, Examples.REQUEST, new CommandSubject(Examples.SUBJECT, null), List.of(),
                null, null, Examples.NOW, null, 1);
        String group = "store-" + SYSTEM;

        try (CommandSubscriber subscriber = CommandSubscriber.builder()
                .bootstrapServers(broker.bootstrapServers())
                .systemName(SYSTEM)
                .ackSigningKey(Examples.STORE_KEYS.getPrivate())
                .handler((c, envelope) -> {
                    handled.add(c.commandId());
                    return CommandResult.done(List.of("mail-1", "mail-2"));
                })
                .acknowledgedCommands(store)
                .producerProperties(Map.of(ProducerConfig.MAX_BLOCK_MS_CONFIG, 300,
                        ProducerConfig.INTERCEPTOR_CLASSES_CONFIG, FailedSendCounter.class.getName()))
                .pollTimeout(Duration.ofMillis(100))
                .retryBackoff(Duration.ofMillis(100))
                .build()
                .start()) {

            RecordMetadata sent = broker.send(codec.envelope("/services/retention-service", Examples.TENANT,
                    Examples.key(), command).toRecord(Topics.COMMAND));

            await().atMost(WAIT).until(() -> FailedSendCounter.FAILURES.get() >= 3);
            assertThat(handled).as("a retry republishes the ack; it does not act again")
                    .containsExactly(command.commandId());
            assertThat(store.find(command.commandId())).isEmpty();
            assertThat(broker.committed(group)).doesNotContainKey(new TopicPartition(Topics.COMMAND,
                    sent.partition()));

            broker.createTopic(Topics.COMMAND_ACK, 3);

            try (TestBroker.TopicReader acks = broker.reader(Topics.COMMAND_ACK)) {
                await().atMost(WAIT).until(() -> !acks.records().isEmpty());
                CommandAck ack = codec.decode(EventEnvelope.fromRecord(acks.records().get(0)), CommandAck.class);
                assertThat(ack.commandId()).isEqualTo(command.commandId());
                assertThat(ack.outcome()).isEqualTo(AckOutcome.DONE);
                assertThat(ack.records()).isEqualTo(2);
            }
            await().atMost(WAIT).until(() -> broker.committed(group)
                    .get(new TopicPartition(Topics.COMMAND, sent.partition())) == sent.offset() + 1);
            assertThat(store.find(command.commandId())).isPresent();
            assertThat(handled).containsExactly(command.commandId());
        }
    }
}
