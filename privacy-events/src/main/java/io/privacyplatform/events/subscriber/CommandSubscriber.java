package io.privacyplatform.events.subscriber;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;

import io.privacyplatform.events.EventCodec;
import io.privacyplatform.events.EventEnvelope;
import io.privacyplatform.events.InvalidEventException;
import io.privacyplatform.events.Topics;
import io.privacyplatform.events.payload.AckOutcome;
import io.privacyplatform.events.payload.CommandAck;
import io.privacyplatform.events.payload.CommandKind;
import io.privacyplatform.events.payload.PrivacyCommand;

/**
 * The subscriber kit: how an internal system ("store") receives the {@code privacy.command.v1} commands addressed
 * to it, carries them out and acknowledges them on {@code privacy.command.ack.v1}.
 *
 * <pre>{@code
 * CommandSubscriber subscriber = CommandSubscriber.builder()
 *         .bootstrapServers("kafka:9092")
 *         .systemName("mail-log-store")              // the name the platform addresses commands to
 *         .handler((command, envelope) -> switch (command.kind()) {
 *             // erase(...) returns the ids of the erased records, after committing the erasure
 *             case ERASE -> CommandResult.done(store.erase(command.tenantId(), command.subject().subjectId()));
 *             case PURGE -> CommandResult.done(store.purgeOlderThan(command.tenantId(), command.cutoff()));
 *             default -> CommandResult.failed("unsupported command kind " + command.kind());
 *         })
 *         .acknowledgedCommands(new JdbcAcknowledgedCommands(dataSource))   // your AcknowledgedCommands
 *         .build()
 *         .start();
 * ...
 * subscriber.close();
 * }</pre>
 *
 * <h2>What the kit does</h2>
 * One thread polls the command topic (consumer group {@code store-<systemName>} unless set otherwise, manual
 * commits, {@code auto.offset.reset=earliest}, {@code isolation.level=read_committed}) and takes each partition's
 * records in order:
 * <ul>
 * <li>A record that is not a valid command (not a CloudEvent, unknown {@code ce_type}, missing field, payload tenant
 * differing from {@code ce_tenantid}, too large …) is copied, with its key, value and headers, to
 * {@code privacy.command.v1.dlq} with the headers {@value #HEADER_DLQ_ERROR}, {@value #HEADER_DLQ_ORIGINAL_TOPIC},
 * {@value #HEADER_DLQ_ORIGINAL_PARTITION}, {@value #HEADER_DLQ_ORIGINAL_OFFSET} and {@value #HEADER_DLQ_SYSTEM}, and
 * skipped. Every store reads every command, so every store copies a poison record once.</li>
 * <li>A command for another {@code targetSystem} is skipped.</li>
 * <li>A command whose {@code commandId} {@link AcknowledgedCommands} already knows is not handled again: the
 * remembered ack is published again (the issuer deduplicates acks; this covers an issuer that missed it).</li>
 * <li>Otherwise the {@link CommandHandler} runs and its {@link CommandResult} is published as a {@link CommandAck}
 * (source {@code /stores/<systemName>}, same Kafka key as the command) with an idempotent producer
 * ({@code acks=all}). A handler exception becomes a {@code FAILED} ack with the exception's message as detail.</li>
 * <li>Only when the broker has confirmed the ack is it remembered (except {@code FAILED} acks: a re-sent command must
 * be handled again) and the record's offset committed. If publishing, remembering or committing fails, nothing
 * after that record is taken: the consumer seeks back to it and retries after {@link Builder#retryBackoff(Duration)}
 * (without running the handler again for the same record), so no ack is lost and no command is skipped.</li>
 * </ul>
 * Log lines name the command id, kind and system, never the subject, an address or a handler's exception message.
 *
 * <h2>What the handler must guarantee</h2>
 * <ul>
 * <li><b>Idempotence.</b> Delivery is at-least-once: if the process dies after the handler's effect but before the
 * ack is confirmed and remembered, the same command is delivered and handled again. Handling it twice must leave
 * the store as handling it once did, and report the same records (an erase that finds nothing the second time
 * should still answer consistently, e.g. by recording what it erased under the command id).</li>
 * <li><b>Durability before returning.</b> When {@code handle} returns, its effect must be committed (database
 * transaction committed, file synced): the ack tells the platform, and through it the data subject, that the work
 * is done.</li>
 * <li><b>Honest outcomes.</b> Return {@link CommandResult#done}, {@link CommandResult#notFound()},
 * {@link CommandResult#held(String)} for data that must be kept (with the reason), or throw / return
 * {@link CommandResult#failed(String)} for a transient problem (the issuer retries). Details and exception messages
 * travel on the ack topic: no personal data in them.</li>
 * <li><b>Reasonable duration.</b> The handler runs on the poll thread; one that takes longer than
 * {@code max.poll.interval.ms} (5 minutes) costs the partition assignment, and the command is delivered again.</li>
 * </ul>
 * {@link AcknowledgedCommands} should live in the same database as the data, so that a store restored from a backup
 * also forgets the acks of the commands it must carry out again.
 */
public final class CommandSubscriber implements AutoCloseable {

    public static final String HEADER_DLQ_ERROR = "dlq-error";
    public static final String HEADER_DLQ_ORIGINAL_TOPIC = "dlq-original-topic";
    public static final String HEADER_DLQ_ORIGINAL_PARTITION = "dlq-original-partition";
    public static final String HEADER_DLQ_ORIGINAL_OFFSET = "dlq-original-offset";
    /** The system whose subscriber rejected the record (every store reads, and rejects, the same poison record). */
    public static final String HEADER_DLQ_SYSTEM = "dlq-system";
    /** Set, with the original size in bytes, when the value was too large to copy and was dropped. */
    public static final String HEADER_DLQ_VALUE_DROPPED = "dlq-value-dropped";

    /** Detail texts and DLQ error headers are cut to this many characters. */
    public static final int MAX_DETAIL_CHARS = 1000;

    private static final Logger LOG = LoggerFactory.getLogger(CommandSubscriber.class);
    private static final Pattern SYSTEM_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");
    private static final List<String> DLQ_HEADERS = List.of(HEADER_DLQ_ERROR, HEADER_DLQ_ORIGINAL_TOPIC,
            HEADER_DLQ_ORIGINAL_PARTITION, HEADER_DLQ_ORIGINAL_OFFSET, HEADER_DLQ_SYSTEM, HEADER_DLQ_VALUE_DROPPED);

    private final String bootstrapServers;
    private final String systemName;
    private final String groupId;
    private final String source;
    private final CommandHandler handler;
    private final AcknowledgedCommands acknowledged;
    private final Map<String, Object> consumerProperties;
    private final Map<String, Object> producerProperties;
    private final Clock clock;
    private final EventCodec codec;
    private final Duration pollTimeout;
    private final Duration retryBackoff;
    private final Duration closeTimeout;

    private final CountDownLatch closeSignal = new CountDownLatch(1);
    private final Map<TopicPartition, OffsetAndMetadata> uncommitted = new HashMap<>();
    private volatile boolean closing;
    private volatile boolean running;
    private Thread thread;
    private KafkaConsumer<byte[], byte[]> consumer;
    private KafkaProducer<byte[], byte[]> producer;
    /** The ack of the record being retried, so a retry republishes it instead of running the handler again. */
    private Unconfirmed unconfirmed;

    private CommandSubscriber(Builder builder) {
        this.bootstrapServers = requireText(builder.bootstrapServers, "bootstrapServers");
        this.systemName = requireText(builder.systemName, "systemName");
        if (!SYSTEM_NAME.matcher(systemName).matches()) {
            throw new IllegalArgumentException("systemName must match " + SYSTEM_NAME + ": " + systemName);
        }
        this.groupId = builder.groupId != null ? requireText(builder.groupId, "groupId") : "store-" + systemName;
        this.source = "/stores/" + systemName;
        this.handler = Objects.requireNonNull(builder.handler, "handler");
        this.acknowledged = Objects.requireNonNull(builder.acknowledgedCommands, "acknowledgedCommands");
        this.clock = Objects.requireNonNull(builder.clock, "clock");
        this.codec = new EventCodec(clock);
        this.pollTimeout = positive(builder.pollTimeout, "pollTimeout");
        this.retryBackoff = positive(builder.retryBackoff, "retryBackoff");
        this.closeTimeout = positive(builder.closeTimeout, "closeTimeout");
        this.consumerProperties = consumerConfig(builder);
        this.producerProperties = producerConfig(builder);
    }

    public static Builder builder() {
        return new Builder();
    }

    public String systemName() {
        return systemName;
    }

    public String groupId() {
        return groupId;
    }

    /** True from {@link #start()} until the loop ends (by {@link #close()} or an unrecoverable error). */
    public boolean isRunning() {
        return running;
    }

    /** Creates the clients and starts the loop thread. */
    public synchronized CommandSubscriber start() {
        if (closing) {
            throw new IllegalStateException("command subscriber for " + systemName + " is closed");
        }
        if (thread != null) {
            throw new IllegalStateException("command subscriber for " + systemName + " is already started");
        }
        consumer = new KafkaConsumer<>(consumerProperties);
        try {
            producer = new KafkaProducer<>(producerProperties);
        } catch (RuntimeException e) {
            consumer.close();
            throw e;
        }
        thread = new Thread(this::run, "command-subscriber-" + systemName);
        running = true;
        thread.start();
        LOG.info("command subscriber for {} started (group {})", systemName, groupId);
        return this;
    }

    /**
     * Stops the loop (a handler that is running finishes first, up to the close timeout), commits what was
     * acknowledged and closes the clients. Idempotent.
     */
    @Override
    public void close() {
        Thread loop;
        synchronized (this) {
            if (!closing) {
                closing = true;
                closeSignal.countDown();
            }
            loop = thread;
        }
        if (loop == null) {
            return;
        }
        try {
            consumer.wakeup();
        } catch (RuntimeException e) {
            // the loop has ended and closed the consumer already
        }
        if (Thread.currentThread() == loop) {
            return; // called from within the handler: the loop ends when the handler returns
        }
        try {
            loop.join(closeTimeout.toMillis());
            if (loop.isAlive()) {
                LOG.warn("command subscriber for {} did not stop within {}; interrupting it", systemName,
                        closeTimeout);
                loop.interrupt();
                loop.join(closeTimeout.toMillis());
            }
            if (loop.isAlive()) {
                LOG.warn("command subscriber for {} is still running; closing its producer", systemName);
                producer.close(Duration.ZERO);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        try {
            consumer.subscribe(List.of(Topics.COMMAND));
            while (!closing) {
                try {
                    ConsumerRecords<byte[], byte[]> batch = consumer.poll(pollTimeout);
                    if (!batch.isEmpty()) {
                        processBatch(batch);
                    }
                } catch (WakeupException | InterruptException e) {
                    throw e;
                } catch (KafkaException e) {
                    LOG.warn("command subscriber for {}: {}; retrying in {}", systemName, e.toString(),
                            retryBackoff);
                    backoff();
                }
            }
        } catch (WakeupException e) {
            if (!closing) {
                LOG.error("command subscriber for {} woken up unexpectedly; stopping", systemName);
            }
        } catch (InterruptedException | InterruptException e) {
            LOG.info("command subscriber for {} interrupted; stopping", systemName);
        } catch (RuntimeException | Error e) {
            if (closing) {
                LOG.info("command subscriber for {} stopped while closing: {}", systemName, e.getClass().getName());
            } else {
                LOG.error("command subscriber for {} stopped by an unexpected {}", systemName,
                        e.getClass().getName());
            }
        } finally {
            running = false;
            finalCommit();
            closeQuietly(consumer);
            closeQuietly(producer);
            LOG.info("command subscriber for {} stopped", systemName);
        }
    }

    private void processBatch(ConsumerRecords<byte[], byte[]> batch) throws InterruptedException {
        List<TopicPartition> partitions = new ArrayList<>(batch.partitions());
        for (int p = 0; p < partitions.size(); p++) {
            TopicPartition partition = partitions.get(p);
            for (ConsumerRecord<byte[], byte[]> record : batch.records(partition)) {
                if (closing) {
                    return; // what was acknowledged is committed in run()'s finally; the rest comes again
                }
                try {
                    process(partition, record);
                    uncommitted.put(partition, new OffsetAndMetadata(record.offset() + 1));
                } catch (RetryLater e) {
                    LOG.warn("command subscriber for {}: {} at {}-{}@{} failed ({}); retrying in {}", systemName,
                            e.getMessage(), record.topic(), record.partition(), record.offset(),
                            describe(e.getCause()), retryBackoff);
                    commitUncommitted();
                    rewind(batch, partitions.subList(p, partitions.size()), record.offset());
                    backoff();
                    return;
                }
            }
        }
        commitUncommitted();
    }

    /** Seeks the failed partition back to the failed record, and the partitions not yet taken to their first one. */
    private void rewind(ConsumerRecords<byte[], byte[]> batch, List<TopicPartition> untaken, long failedOffset) {
        for (int i = 0; i < untaken.size(); i++) {
            TopicPartition partition = untaken.get(i);
            long offset = i == 0 ? failedOffset : batch.records(partition).get(0).offset();
            if (consumer.assignment().contains(partition)) {
                consumer.seek(partition, offset);
            }
        }
    }

    private void process(TopicPartition partition, ConsumerRecord<byte[], byte[]> record)
            throws RetryLater, InterruptedException {
        EventEnvelope envelope;
        PrivacyCommand command;
        try {
            envelope = EventEnvelope.fromRecord(withStringKey(record));
            command = codec.decode(envelope, PrivacyCommand.class);
            if (!command.tenantId().equals(envelope.tenantId())) {
                throw new InvalidEventException("command tenant differs from ce_tenantid");
            }
        } catch (RuntimeException e) {
            deadLetter(record, e);
            return;
        }
        if (!systemName.equals(command.targetSystem())) {
            return;
        }
        String key = envelope.key();
        if (unconfirmed != null && unconfirmed.matches(partition, record.offset(), command.commandId())) {
            confirm(command, unconfirmed.ack(), key, partition, record.offset());
            return;
        }
        Optional<CommandAck> known;
        try {
            known = acknowledged.find(command.commandId());
        } catch (RuntimeException e) {
            throw new RetryLater("looking up command " + command.commandId(), e);
        }
        if (known.isPresent()) {
            LOG.info("command {} ({}) for {} was acknowledged before ({}); publishing its ack again",
                    command.commandId(), command.kind(), systemName, known.get().outcome());
            publish(command, known.get(), key);
            return;
        }
        CommandAck ack = handle(command, envelope);
        confirm(command, ack, key, partition, record.offset());
    }

    private void confirm(PrivacyCommand command, CommandAck ack, String key, TopicPartition partition, long offset)
            throws RetryLater, InterruptedException {
        unconfirmed = new Unconfirmed(partition, offset, ack);
        publish(command, ack, key);
        if (ack.outcome() != AckOutcome.FAILED) {
            try {
                acknowledged.remember(ack);
            } catch (RuntimeException e) {
                throw new RetryLater("remembering the ack of command " + command.commandId(), e);
            }
        }
        unconfirmed = null;
    }

    private CommandAck handle(PrivacyCommand command, EventEnvelope envelope) throws InterruptedException {
        CommandResult result;
        try {
            result = handler.handle(command, envelope);
            if (result == null) {
                result = CommandResult.failed("the handler returned no result");
            }
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception e) {
            // The message goes to the ack (the issuer needs it), not to the log: it may name the subject.
            LOG.warn("command {} ({}) for {} failed in the handler: {}", command.commandId(), command.kind(),
                    systemName, e.getClass().getName());
            result = CommandResult.failed(e.getMessage() == null || e.getMessage().isBlank()
                    ? e.getClass().getName() : e.getMessage());
        }
        JsonNode data = result.data();
        if (data != null && command.kind() != CommandKind.EXPORT) {
            LOG.warn("command {} ({}) for {}: the handler returned data for a non-EXPORT command; not sent",
                    command.commandId(), command.kind(), systemName);
            data = null;
        }
        CommandAck ack = new CommandAck(command.commandId(), systemName, command.tenantId(), command.requestId(),
                result.outcome(), result.records(), result.digest(), truncate(result.detail()), data,
                clock.instant());
        try {
            codec.encode(ack);
        } catch (InvalidEventException e) {
            LOG.warn("command {} ({}) for {}: the ack is too large; answering FAILED", command.commandId(),
                    command.kind(), systemName);
            ack = new CommandAck(ack.commandId(), ack.system(), ack.tenantId(), ack.requestId(), AckOutcome.FAILED,
                    0, null, truncate("the result is too large to acknowledge: " + e.getMessage()), null,
                    ack.completedAt());
        }
        LOG.info("command {} ({}) for {}: {} ({} records)", command.commandId(), command.kind(), systemName,
                ack.outcome(), ack.records());
        return ack;
    }

    private void publish(PrivacyCommand command, CommandAck ack, String key) throws RetryLater, InterruptedException {
        EventEnvelope envelope = codec.envelope(ackEventId(ack), source, command.tenantId(), key, ack);
        ProducerRecord<String, byte[]> record = envelope.toRecord(Topics.COMMAND_ACK);
        send(new ProducerRecord<>(record.topic(), null, null, keyBytes(record.key()), record.value(),
                record.headers()), "publishing the ack of command " + command.commandId());
    }

    private void deadLetter(ConsumerRecord<byte[], byte[]> record, RuntimeException error)
            throws RetryLater, InterruptedException {
        String dlq = Topics.deadLetterOf(record.topic());
        LOG.warn("record {}-{}@{} is not a valid command ({}); copying it to {}", record.topic(), record.partition(),
                record.offset(), error.getClass().getSimpleName(), dlq);
        Headers headers = new RecordHeaders(record.headers().toArray());
        DLQ_HEADERS.forEach(headers::remove);
        String message = error.getMessage() == null ? error.getClass().getName() : error.getMessage();
        headers.add(HEADER_DLQ_ERROR, utf8(truncate(message)));
        headers.add(HEADER_DLQ_ORIGINAL_TOPIC, utf8(record.topic()));
        headers.add(HEADER_DLQ_ORIGINAL_PARTITION, utf8(Integer.toString(record.partition())));
        headers.add(HEADER_DLQ_ORIGINAL_OFFSET, utf8(Long.toString(record.offset())));
        headers.add(HEADER_DLQ_SYSTEM, utf8(systemName));
        try {
            send(new ProducerRecord<>(dlq, null, null, record.key(), record.value(), headers),
                    "copying a record to " + dlq);
        } catch (RetryLater e) {
            if (!(e.getCause() instanceof RecordTooLargeException)) {
                throw e;
            }
            headers.add(HEADER_DLQ_VALUE_DROPPED, utf8(Integer.toString(record.serializedValueSize())));
            send(new ProducerRecord<>(dlq, null, null, record.key(), null, headers),
                    "copying a record without its value to " + dlq);
        }
    }

    private void send(ProducerRecord<byte[], byte[]> record, String what) throws RetryLater, InterruptedException {
        try {
            producer.send(record).get();
        } catch (ExecutionException e) {
            throw new RetryLater(what, e.getCause());
        } catch (InterruptException e) {
            throw e;
        } catch (KafkaException e) {
            throw new RetryLater(what, e);
        }
    }

    /** Commits what was acknowledged; a wakeup left pending by {@link #close()} fails the first attempt only. */
    private void finalCommit() {
        for (int attempt = 1; attempt <= 2 && !uncommitted.isEmpty(); attempt++) {
            try {
                commitUncommitted();
            } catch (WakeupException e) {
                continue;
            } catch (RuntimeException e) {
                LOG.warn("command subscriber for {}: final commit failed: {}", systemName, e.getClass().getName());
                return;
            }
        }
    }

    private void commitUncommitted() {
        if (uncommitted.isEmpty()) {
            return;
        }
        try {
            consumer.commitSync(Map.copyOf(uncommitted));
            uncommitted.clear();
        } catch (WakeupException | InterruptException e) {
            throw e; // kept: run()'s finally commits them
        } catch (KafkaException e) {
            // The acks are published and remembered: a redelivery republishes them without running the handler.
            LOG.warn("command subscriber for {}: commit failed: {}", systemName, e.toString());
            uncommitted.clear();
        }
    }

    private void backoff() throws InterruptedException {
        closeSignal.await(retryBackoff.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The same ack always travels with the same event id, so a republished ack is recognisably a duplicate. */
    private String ackEventId(CommandAck ack) {
        return UUID.nameUUIDFromBytes((ack.system() + '\n' + ack.commandId() + '\n' + ack.completedAt())
                .getBytes(StandardCharsets.UTF_8)).toString();
    }

    /** Kafka's messages are safe to log; a store's own exceptions (its database's) may quote data: class only. */
    private static String describe(Throwable error) {
        if (error == null) {
            return "-";
        }
        return error instanceof KafkaException ? error.toString() : error.getClass().getName();
    }

    private static ConsumerRecord<String, byte[]> withStringKey(ConsumerRecord<byte[], byte[]> record) {
        return new ConsumerRecord<>(record.topic(), record.partition(), record.offset(), record.timestamp(),
                record.timestampType(), record.serializedKeySize(), record.serializedValueSize(),
                record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8), record.value(),
                record.headers(), record.leaderEpoch());
    }

    private static byte[] keyBytes(String key) {
        return key == null ? null : key.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String truncate(String text) {
        if (text == null || text.length() <= MAX_DETAIL_CHARS) {
            return text;
        }
        return text.substring(0, MAX_DETAIL_CHARS - 1) + "…";
    }

    private void closeQuietly(AutoCloseable client) {
        try {
            if (client instanceof KafkaConsumer<?, ?> c) {
                c.close(Duration.ofSeconds(5));
            } else if (client instanceof KafkaProducer<?, ?> p) {
                p.close(Duration.ofSeconds(5));
            }
        } catch (RuntimeException e) {
            LOG.warn("command subscriber for {}: closing a client failed: {}", systemName, e.getClass().getName());
        }
    }

    private Map<String, Object> consumerConfig(Builder builder) {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 50);
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, groupId + "-commands");
        config.putAll(builder.clientProperties);
        config.putAll(builder.consumerProperties);
        enforce(config, ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        enforce(config, ConsumerConfig.GROUP_ID_CONFIG, groupId);
        enforce(config, ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        enforce(config, ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        enforce(config, ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        enforce(config, ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        enforce(config, ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        return Map.copyOf(config);
    }

    private Map<String, Object> producerConfig(Builder builder) {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put(ProducerConfig.CLIENT_ID_CONFIG, groupId + "-acks");
        config.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000);
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
        config.putAll(builder.clientProperties);
        config.putAll(builder.producerProperties);
        enforce(config, ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        enforce(config, ProducerConfig.ACKS_CONFIG, "all");
        enforce(config, ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        enforce(config, ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        enforce(config, ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return Map.copyOf(config);
    }

    /** Sets a setting the kit's guarantees depend on; an extra property that contradicts it is a mistake. */
    private static void enforce(Map<String, Object> config, String key, String value) {
        Object given = config.get(key);
        if (given != null && !value.equals(given instanceof Class<?> c ? c.getName() : given.toString())) {
            throw new IllegalArgumentException(key + " must be " + value + " for the command subscriber, not "
                    + given);
        }
        config.put(key, value);
    }

    private static String requireText(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " is required");
        }
        return value;
    }

    private static Duration positive(Duration value, String name) {
        Objects.requireNonNull(value, name);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be positive");
        }
        return value;
    }

    private record Unconfirmed(TopicPartition partition, long offset, CommandAck ack) {

        boolean matches(TopicPartition otherPartition, long otherOffset, String commandId) {
            return partition.equals(otherPartition) && offset == otherOffset && ack.commandId().equals(commandId);
        }
    }

    /** Publishing, remembering or committing failed: the record is taken again after a backoff. */
    private static final class RetryLater extends Exception {

        RetryLater(String message, Throwable cause) {
            super(message, cause, false, false);
        }
    }

    public static final class Builder {

        private String bootstrapServers;
        private String systemName;
        private String groupId;
        private CommandHandler handler;
        private AcknowledgedCommands acknowledgedCommands;
        private final Map<String, Object> clientProperties = new HashMap<>();
        private final Map<String, Object> consumerProperties = new HashMap<>();
        private final Map<String, Object> producerProperties = new HashMap<>();
        private Clock clock = Clock.systemUTC();
        private Duration pollTimeout = Duration.ofMillis(500);
        private Duration retryBackoff = Duration.ofSeconds(1);
        private Duration closeTimeout = Duration.ofSeconds(10);

        private Builder() {
        }

        public Builder bootstrapServers(String bootstrapServers) {
            this.bootstrapServers = bootstrapServers;
            return this;
        }

        /** The name commands are addressed to ({@code PrivacyCommand.targetSystem}), e.g. {@code mail-log-store}. */
        public Builder systemName(String systemName) {
            this.systemName = systemName;
            return this;
        }

        /** Defaults to {@code store-<systemName>}. */
        public Builder groupId(String groupId) {
            this.groupId = groupId;
            return this;
        }

        public Builder handler(CommandHandler handler) {
            this.handler = handler;
            return this;
        }

        public Builder acknowledgedCommands(AcknowledgedCommands acknowledgedCommands) {
            this.acknowledgedCommands = acknowledgedCommands;
            return this;
        }

        /**
         * Extra settings for both the consumer and the producer (security, client ids …). Settings the kit's
         * guarantees depend on (auto commit, offset reset, isolation level, acks, idempotence, serializers) cannot
         * be changed: a contradicting value is rejected when building.
         */
        public Builder clientProperties(Map<String, ?> properties) {
            clientProperties.putAll(properties);
            return this;
        }

        public Builder clientProperty(String key, Object value) {
            clientProperties.put(key, value);
            return this;
        }

        /** Extra settings for the consumer only (e.g. {@code max.poll.records}, default 50). */
        public Builder consumerProperties(Map<String, ?> properties) {
            consumerProperties.putAll(properties);
            return this;
        }

        /** Extra settings for the producer only (e.g. {@code delivery.timeout.ms}, default 30 s). */
        public Builder producerProperties(Map<String, ?> properties) {
            producerProperties.putAll(properties);
            return this;
        }

        /** For {@code completedAt} and the ack's {@code ce_time}. */
        public Builder clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        /** How long one poll waits for records (default 500 ms). */
        public Builder pollTimeout(Duration pollTimeout) {
            this.pollTimeout = pollTimeout;
            return this;
        }

        /** How long to wait before taking a record again whose ack could not be published (default 1 s). */
        public Builder retryBackoff(Duration retryBackoff) {
            this.retryBackoff = retryBackoff;
            return this;
        }

        /** How long {@link CommandSubscriber#close()} waits for the loop to end (default 10 s). */
        public Builder closeTimeout(Duration closeTimeout) {
            this.closeTimeout = closeTimeout;
            return this;
        }

        public CommandSubscriber build() {
            return new CommandSubscriber(this);
        }
    }
}
