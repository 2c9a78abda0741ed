package io.privacyplatform.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.TransactionalIdAuthorizationException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.privacyplatform.events.payload.AckOutcome;
import io.privacyplatform.events.payload.CommandAck;
import io.privacyplatform.events.payload.CommandKind;
import io.privacyplatform.events.payload.CommandSubject;
import io.privacyplatform.events.payload.PrivacyCommand;
import io.privacyplatform.events.subscriber.CommandResult;
import io.privacyplatform.events.subscriber.CommandSubscriber;
import io.privacyplatform.events.subscriber.InMemoryAcknowledgedCommands;
import io.privacyplatform.testing.KafkaTestCluster;

/**
 * The access table on a broker as the local run starts it: SASL/SCRAM-SHA-512 logins, the StandardAuthorizer, and
 * {@link TopicAccess}' ACLs put there by {@link TopicAccessSetup}, the code the local run uses. A principal without
 * the right grant is refused; the subscriber kit works through SASL with the settings it is given.
 */
class TopicAccessSecuredBrokerTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private static KafkaTestCluster broker;
    private static final Map<String, String> PASSWORDS = new LinkedHashMap<>();

    private final EventCodec codec = new EventCodec();

    @BeforeAll
    static void startSecuredBroker() throws Exception {
        broker = KafkaTestCluster.startSecured();
        try (Admin admin = broker.admin()) {
            admin.createTopics(Topics.specsWithDeadLetters().stream()
                    .map(spec -> new NewTopic(spec.name(), spec.partitions(), (short) 1).configs(spec.configs()))
                    .toList()).all().get(30, TimeUnit.SECONDS);
            TopicAccess.principals().forEach(p -> PASSWORDS.put(p, UUID.randomUUID().toString()));
            TopicAccessSetup.Result result = TopicAccessSetup.apply(admin, PASSWORDS, TopicAccess.grants());
            assertThat(result.created()).isEqualTo(TopicAccess.grants().size());
        }
        // SCRAM credentials reach the broker's authenticator a moment after the admin call returns: a test that
        // logs in at once could be refused as a wrong password. Every principal logs in before any test runs.
        for (String principal : TopicAccess.principals()) {
            await().atMost(WAIT).until(() -> !(loginFailure(principal) instanceof SaslAuthenticationException));
        }
    }

    /** What logging in as {@code principal} and asking for a topic's partitions fails with, if anything. */
    private static Throwable loginFailure(String principal) {
        try (KafkaProducer<String, byte[]> producer = producer(principal, PASSWORDS.get(principal))) {
            return failureOf(() -> producer.partitionsFor(Topics.NOTIFICATION));
        }
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    @Test
    void shouldRefuseACommandFromAnyPrincipalButRetentionService() {
        for (String principal : List.of(TopicAccess.CONSENT_SERVICE, TopicAccess.REQUEST_SERVICE,
                TopicAccess.MAIL_LOG_STORE)) {
            assertThat(failureOfSend(principal, commandRecord("mail-log-store")))
                    .as(principal).isInstanceOf(TopicAuthorizationException.class);
        }
    }

    @Test
    void shouldRefuseAForgedAckFromAPrincipalThatIsNoStore() {
        assertThat(failureOfSend(TopicAccess.RETENTION_SERVICE, ackRecord(TopicAccess.MAIL_LOG_STORE)))
                .isInstanceOf(TopicAuthorizationException.class);
    }

    @Test
    void shouldTakeAppliedConsentOnlyFromAConsentSubscriberAndShowItToConsentServiceOnly() {
        ProducerRecord<String, byte[]> applied = codec.envelope("/consent-subscribers/mail-log-store",
                Examples.TENANT, Examples.key(), Examples.consentApplied()).toRecord(Topics.CONSENT_APPLIED);

        assertThat(failureOfSend(TopicAccess.MAIL_LOG_STORE, applied)).isNull();
        assertThat(failureOfSend(TopicAccess.REQUEST_SERVICE, applied)).isInstanceOf(TopicAuthorizationException.class);
        assertThat(failureOfRead(TopicAccess.RETENTION_SERVICE, TopicAccess.RETENTION_SERVICE, Topics.CONSENT_APPLIED))
                .isInstanceOf(TopicAuthorizationException.class);
    }

    @Test
    void shouldAcceptACommandFromRetentionService() {
        assertThat(failureOfSend(TopicAccess.RETENTION_SERVICE, commandRecord("mail-log-store"))).isNull();
    }

    @Test
    void shouldAcceptAnAckFromAStore() {
        assertThat(failureOfSend(TopicAccess.MAIL_LOG_STORE, ackRecord(TopicAccess.MAIL_LOG_STORE))).isNull();
    }

    @Test
    void shouldRefuseALoginWithAWrongPassword() {
        assertThat(failureOfSend(TopicAccess.RETENTION_SERVICE, "not-the-password",
                commandRecord("mail-log-store"))).isInstanceOf(SaslAuthenticationException.class);
    }

    @Test
    void shouldRefuseReadingATopicTheServiceDoesNotConsume() {
        assertThat(failureOfRead(TopicAccess.MAIL_LOG_STORE, TopicAccess.MAIL_LOG_STORE, Topics.RIGHTS_REQUEST))
                .isInstanceOf(TopicAuthorizationException.class);
    }

    @Test
    void shouldRefuseReadingInAnotherStoresGroup() {
        assertThat(failureOfRead(TopicAccess.CONSENT_SERVICE, "store-" + TopicAccess.MAIL_LOG_STORE, Topics.COMMAND))
                .isInstanceOf(GroupAuthorizationException.class);
    }

    @Test
    void shouldLetARelayUseOnlyItsOwnTransactionalIds() {
        String own = TopicAccess.relayTransactionalIdPrefixOf(TopicAccess.CONSENT_SERVICE) + UUID.randomUUID();
        String other = TopicAccess.relayTransactionalIdPrefixOf(TopicAccess.RETENTION_SERVICE) + UUID.randomUUID();
        ProducerRecord<String, byte[]> consent = codec.envelope("/services/consent-service", Examples.TENANT,
                Examples.key(), Examples.consentChanged()).toRecord(Topics.CONSENT_CHANGED);

        try (KafkaProducer<String, byte[]> producer = transactionalProducer(TopicAccess.CONSENT_SERVICE, own)) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(consent);
            producer.commitTransaction();
        }
        try (KafkaProducer<String, byte[]> producer = transactionalProducer(TopicAccess.CONSENT_SERVICE, other)) {
            Throwable failure = failureOf(producer::initTransactions);
            assertThat(failure).isInstanceOf(TransactionalIdAuthorizationException.class);
        }
    }

    @Test
    void shouldRemoveAGrantThatIsNoLongerInTheTableWhenAppliedAgain() throws Exception {
        String store = "crm-" + UUID.randomUUID();
        Map<String, String> password = Map.of(store, UUID.randomUUID().toString());
        List<TopicAccess.Grant> storeGrants = TopicAccess.grants(List.of(TopicAccess.externalStore(store)));
        List<TopicAccess.Grant> withCommands = new ArrayList<>(storeGrants);
        withCommands.add(new TopicAccess.Grant(store, ResourceType.TOPIC, PatternType.LITERAL, Topics.COMMAND,
                AclOperation.WRITE));
        try (Admin admin = broker.admin()) {
            TopicAccessSetup.apply(admin, password, withCommands);
            assertThat(failureOfSend(store, password.get(store), commandRecord("crm"))).isNull();

            TopicAccessSetup.Result again = TopicAccessSetup.apply(admin, password, storeGrants);

            assertThat(again.removed()).isEqualTo(1);
            assertThat(again.created()).isZero();
        }
        await().atMost(WAIT).until(() -> failureOfSend(store, password.get(store),
                commandRecord("crm")) instanceof TopicAuthorizationException);
    }

    /**
     * A store using the kit with nothing but its own principal's settings: it reads the command, publishes the ack
     * and copies poison to the dead-letter topic, all through SASL and the store's grants.
     */
    @Test
    void shouldRunTheSubscriberKitWithAStoresPrincipal() throws Exception {
        String system = TopicAccess.MAIL_LOG_STORE;
        PrivacyCommand command = command(system);
        ProducerRecord<String, byte[]> poison = new ProducerRecord<>(Topics.COMMAND, "poison-" + UUID.randomUUID(),
                "not a cloud event".getBytes(StandardCharsets.UTF_8));
        try (KafkaProducer<String, byte[]> retention = producer(TopicAccess.RETENTION_SERVICE,
                PASSWORDS.get(TopicAccess.RETENTION_SERVICE))) {
            retention.send(poison).get(30, TimeUnit.SECONDS);
            retention.send(codec.envelope("/services/retention-service", command.tenantId(), Examples.key(), command)
                    .toRecord(Topics.COMMAND)).get(30, TimeUnit.SECONDS);
        }

        try (CommandSubscriber subscriber = CommandSubscriber.builder()
                .bootstrapServers(broker.bootstrapServers())
                .clientProperties(broker.clientProperties(system, PASSWORDS.get(system)))
                .systemName(system)
                .groupId("store-" + system + "-" + UUID.randomUUID())
                .handler((c, envelope) -> CommandResult.done(List.of("m-1")))
                .acknowledgedCommands(new InMemoryAcknowledgedCommands())
                .ackSigningKey(Ed25519Keys.generate().getPrivate())
                .pollTimeout(Duration.ofMillis(100))
                .build()
                .start()) {
            await().atMost(WAIT).until(() -> broker.readAll(Topics.COMMAND_ACK).stream()
                    .map(r -> codec.decode(EventEnvelope.fromRecord(r), CommandAck.class))
                    .anyMatch(ack -> ack.commandId().equals(command.commandId())
                            && ack.outcome() == AckOutcome.DONE));
            await().atMost(WAIT).until(() -> broker.readAll(Topics.deadLetterOf(Topics.COMMAND)).stream()
                    .map(ConsumerRecord::key).anyMatch(poison.key()::equals));
            assertThat(subscriber.isRunning()).isTrue();
        }
    }

    // --- helpers

    private ProducerRecord<String, byte[]> commandRecord(String target) {
        PrivacyCommand command = command(target);
        return codec.envelope("/services/retention-service", command.tenantId(), Examples.key(), command)
                .toRecord(Topics.COMMAND);
    }

    private ProducerRecord<String, byte[]> ackRecord(String system) {
        CommandAck ack = new CommandAck(UUID.randomUUID().toString(), system, Examples.TENANT, Examples.REQUEST,
                AckOutcome.DONE, 0, RecordDigest.of(), null, null, Examples.NOW);
        return codec.envelope("/stores/" + system, Examples.TENANT, Examples.key(), ack).toRecord(Topics.COMMAND_ACK);
    }

    private static PrivacyCommand command(String target) {
        return new PrivacyCommand(UUID.randomUUID().toString(), CommandKind.ERASE, Examples.TENANT, target,
                Examples.REQUEST, new CommandSubject(Examples.SUBJECT, null), List.of(), null, null, Examples.NOW,
                null, 1);
    }

    private Throwable failureOfSend(String principal, ProducerRecord<String, byte[]> record) {
        return failureOfSend(principal, PASSWORDS.get(principal), record);
    }

    private Throwable failureOfSend(String principal, String password, ProducerRecord<String, byte[]> record) {
        try (KafkaProducer<String, byte[]> producer = producer(principal, password)) {
            return failureOf(() -> producer.send(record).get(30, TimeUnit.SECONDS));
        }
    }

    private Throwable failureOfRead(String principal, String group, String topic) {
        Map<String, Object> props = new HashMap<>(broker.clientProperties(principal, PASSWORDS.get(principal)));
        props.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            return failureOf(() -> {
                long deadline = System.nanoTime() + WAIT.toNanos();
                while (System.nanoTime() < deadline) {
                    consumer.poll(Duration.ofMillis(200));
                }
            });
        }
    }

    private static KafkaProducer<String, byte[]> producer(String principal, String password) {
        Map<String, Object> props = new HashMap<>(broker.clientProperties(principal, password));
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 15_000);
        return new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
    }

    private static KafkaProducer<String, byte[]> transactionalProducer(String principal, String transactionalId) {
        Map<String, Object> props = new HashMap<>(broker.clientProperties(principal, PASSWORDS.get(principal)));
        props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 15_000);
        return new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
    }

    /** What the action threw (unwrapped from the future's ExecutionException), or null when it succeeded. */
    private static Throwable failureOf(ThrowingAction action) {
        try {
            action.run();
            return null;
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (Exception e) {
            return e;
        }
    }

    @FunctionalInterface
    private interface ThrowingAction {
        void run() throws Exception;
    }
}
