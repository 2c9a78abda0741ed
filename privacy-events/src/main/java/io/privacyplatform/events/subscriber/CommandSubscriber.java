package io.privacyplatform.events.subscriber;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.privacyplatform.events.EventCodec;
import io.privacyplatform.events.EventEnvelope;
import io.privacyplatform.events.EventSignature;
import io.privacyplatform.events.Topics;
import io.privacyplatform.events.payload.CommandAck;
import io.privacyplatform.events.payload.PrivacyCommand;

/**
 * The subscriber kit: how a store that is not a Quarkus service of this platform receives the
 * {@code privacy.command.v1} commands addressed to it, carries them out and acknowledges them on
 * {@code privacy.command.ack.v1} (plain Java: kafka-clients and privacy-events only).
 *
 * <pre>{@code
 * CommandSubscriber subscriber = CommandSubscriber.builder()
 *         .bootstrapServers("kafka:9092")
 *         .systemName("crm")                         // the name the platform addresses commands to
 *         .handler((command, envelope) -> switch (command.kind()) {
 *             // erase(...) returns the ids of the erased records, after committing the erasure
 *             case ERASE -> CommandResult.done(store.erase(command.tenantId(), command.subject().subjectId()));
 *             case PURGE -> CommandResult.done(store.purgeOlderThan(command.tenantId(), command.cutoff()));
 *             default -> CommandResult.failed("unsupported command kind " + command.kind());
 *         })
 *         .acknowledgedCommands(new JdbcAcknowledgedCommands(dataSource))   // your AcknowledgedCommands
 *         .ackSigningKeyFile(Path.of("/secrets/crm-ack.pem"))  // Ed25519; its public half is on the data map
 *         .build()
 *         .start();
 * ...
 * subscriber.close();
 * }</pre>
 *
 * What the kit does record by record, the store rules ({@link StoreRules}) and what the handler must guarantee
 * are written once, in {@code docs/events.md}, section "Stores: receiving commands". In short: one thread polls
 * (consumer group {@code store-<systemName>} unless set otherwise, manual commits), copies a record that is not a
 * valid command to {@code privacy.command.v1.dlq} (with {@code dlq-*} headers), publishes each ack with an idempotent
 * producer (an export too large for one ack as ordered parts, one after the other) and commits a record's offset
 * only once its acks are confirmed and remembered; if publishing or remembering fails it seeks back to that record
 * and retries after {@link CommandSubscriberBuilder#retryBackoff}, republishing the same acks without running the
 * handler again. No valid command ever goes to the dead-letter topic: an infrastructure failure (broker, the store's
 * database behind {@link AcknowledgedCommands}) and an unexpected bug alike make the kit seek back and take the record
 * again after the backoff, uncommitted, for as long as it takes (logged at ERROR for a bug), never skip it or stop.
 * A handler exception becomes a {@code FAILED} ack
 * with the exception's message as detail. Log lines name the command id, kind and system, never the subject, an
 * address or a handler's exception message.
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
    public static final int MAX_DETAIL_CHARS = StoreRules.MAX_DETAIL_CHARS;

    private static final Logger LOG = LoggerFactory.getLogger(CommandSubscriber.class);

    private final String systemName;
    private final String groupId;
    private final StoreRules rules;
    private final CommandHandler handler;
    private final AcknowledgedCommands acknowledged;
    private final ClientSettings clients;
    private final EventCodec codec;
    private final EventSignature ackSignature;
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
    /** The acks of records to be retried, so a retry republishes them instead of running the handler again. */
    private final Map<Position, List<CommandAck>> unconfirmed = new HashMap<>();
    /** Records behind a failed one whose acks were confirmed: their redelivery is not answered again. */
    private final Map<Position, Sent> confirmedAhead = new HashMap<>();
    /** The acks of the commands answered in the current poll, by command id (a repeat is not handled again). */
    private final Map<String, List<CommandAck>> answeredInPoll = new HashMap<>();

    CommandSubscriber(CommandSubscriberBuilder builder) {
        requireText(builder.bootstrapServers, "bootstrapServers");
        this.codec = new EventCodec(Objects.requireNonNull(builder.clock, "clock"));
        this.rules = new StoreRules(builder.systemName, codec, builder.clock);
        this.systemName = rules.systemName();
        this.groupId = builder.groupId != null ? requireText(builder.groupId, "groupId") : "store-" + systemName;
        this.handler = rules.guarded(Objects.requireNonNull(builder.handler, "handler"));
        this.acknowledged = Objects.requireNonNull(builder.acknowledgedCommands, "acknowledgedCommands");
        this.ackSignature = new EventSignature(systemName,
                Objects.requireNonNull(builder.ackSigningKey, "ackSigningKey"));
        this.pollTimeout = positive(builder.pollTimeout, "pollTimeout");
        this.retryBackoff = positive(builder.retryBackoff, "retryBackoff");
        this.closeTimeout = positive(builder.closeTimeout, "closeTimeout");
        this.clients = ClientSettings.of(builder, groupId);
    }

    public static CommandSubscriberBuilder builder() {
        return new CommandSubscriberBuilder();
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
        consumer = new KafkaConsumer<>(clients.consumer());
        try {
            producer = new KafkaProducer<>(clients.producer());
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

    /**
     * Handles a poll's records one after the other, but sends their acks without waiting for each: the acks of the
     * whole poll are confirmed together at its end (one broker round trip instead of one per command). A record's
     * offset is committed only once its acks, and those of every earlier record of its partition, are confirmed and
     * remembered, as before; a record whose acks were not confirmed keeps them ({@link #unconfirmed}) and is taken
     * again, republishing the same acks without running the handler again.
     */
    private void processBatch(ConsumerRecords<byte[], byte[]> batch) throws InterruptedException {
        List<TopicPartition> partitions = new ArrayList<>(batch.partitions());
        List<Taken> taken = new ArrayList<>();
        answeredInPoll.clear();
        for (int p = 0; p < partitions.size(); p++) {
            TopicPartition partition = partitions.get(p);
            for (ConsumerRecord<byte[], byte[]> record : batch.records(partition)) {
                if (closing) {
                    // What is confirmed is committed in run()'s finally; the rest comes again.
                    settle(taken);
                    return;
                }
                try {
                    taken.add(new Taken(partition, record.offset(), process(partition, record)));
                } catch (RetryLater e) {
                    LOG.warn("command subscriber for {}: {} at {}-{}@{} failed ({}); retrying in {}", systemName,
                            e.getMessage(), record.topic(), record.partition(), record.offset(),
                            describe(e.getCause()), retryBackoff);
                    retryFrom(batch, taken, partitions.subList(p, partitions.size()), record.offset());
                    return;
                } catch (WakeupException | InterruptException e) {
                    throw e;
                } catch (RuntimeException e) {
                    // A valid command met a bug (ours, or the store's AcknowledgedCommands): it is neither
                    // dead-lettered nor skipped, and the subscriber does not stop. The record is taken again after
                    // the backoff, for as long as it fails: a stalled, loudly logged partition with growing lag is
                    // recoverable by a fix; a lost erasure is not.
                    LOG.error("command subscriber for {}: STALLED at {}-{}@{} by an unexpected {}; the record is not"
                            + " committed and is taken again in {}", systemName, record.topic(), record.partition(),
                            record.offset(), describe(e), retryBackoff);
                    retryFrom(batch, taken, partitions.subList(p, partitions.size()), record.offset());
                    return;
                }
            }
        }
        Map<TopicPartition, Long> failed = settle(taken);
        commitUncommitted();
        if (!failed.isEmpty()) {
            failed.forEach((partition, offset) -> {
                if (consumer.assignment().contains(partition)) {
                    consumer.seek(partition, offset);
                }
            });
            backoff();
        }
    }

    /**
     * Confirms the acks sent for the taken records, in order, remembers the rememberable ones and marks their offsets
     * for the commit. Per partition it stops at the first record that could not be confirmed or remembered: that
     * record and the later ones of its partition keep their acks for the retry. Answers, per such partition, the
     * offset to take again.
     */
    private Map<TopicPartition, Long> settle(List<Taken> taken) throws InterruptedException {
        Map<TopicPartition, Long> failed = new HashMap<>();
        for (Taken record : taken) {
            Position position = new Position(record.partition(), record.offset());
            Sent sent = record.sent();
            if (failed.containsKey(record.partition())) {
                // Behind a failure its offset cannot be committed; if its acks are confirmed all the same, the
                // redelivery caused by the rewind only remembers them instead of publishing them a second time.
                if (sent != null) {
                    try {
                        sent.awaitPublished();
                        unconfirmed.remove(position);
                        confirmedAhead.put(position, sent.published());
                    } catch (RetryLater e) {
                        unconfirmed.put(position, sent.acks());
                    }
                }
                continue;
            }
            if (sent != null) {
                try {
                    sent.confirm(this);
                    unconfirmed.remove(position);
                } catch (RetryLater e) {
                    LOG.warn("command subscriber for {}: {} at {}-{}@{} failed ({}); retrying in {}", systemName,
                            e.getMessage(), record.partition().topic(), record.partition().partition(),
                            record.offset(), describe(e.getCause()), retryBackoff);
                    unconfirmed.put(position, sent.acks());
                    failed.put(record.partition(), record.offset());
                    continue;
                }
            }
            uncommitted.put(record.partition(), new OffsetAndMetadata(record.offset() + 1));
        }
        return failed;
    }

    /**
     * Confirms what went before the failed record and commits it, seeks back to the first record not confirmed of
     * every partition taken (the failed one at the latest), the partitions not yet taken to their first one, and
     * waits for the backoff.
     */
    private void retryFrom(ConsumerRecords<byte[], byte[]> batch, List<Taken> taken, List<TopicPartition> untaken,
            long failedOffset) throws InterruptedException {
        Map<TopicPartition, Long> failed = settle(taken);
        commitUncommitted();
        failed.merge(untaken.get(0), failedOffset, Math::min);
        for (int i = 1; i < untaken.size(); i++) {
            failed.put(untaken.get(i), batch.records(untaken.get(i)).get(0).offset());
        }
        failed.forEach((partition, offset) -> {
            if (consumer.assignment().contains(partition)) {
                consumer.seek(partition, offset);
            }
        });
        backoff();
    }

    /**
     * Decodes and handles the record and sends its acks; answers what was sent and still has to be confirmed, or
     * null when nothing is left to confirm (not for this store; dead-lettered, which is confirmed at once).
     */
    private Sent process(TopicPartition partition, ConsumerRecord<byte[], byte[]> record)
            throws RetryLater, InterruptedException {
        EventEnvelope envelope;
        PrivacyCommand command;
        try {
            envelope = EventEnvelope.fromRecord(withStringKey(record));
            command = codec.decode(envelope, PrivacyCommand.class);
        } catch (RuntimeException e) {
            deadLetter(record, e);
            return null;
        }
        if (!rules.isForThisStore(command)) {
            return null;
        }
        String key = envelope.key();
        Position position = new Position(partition, record.offset());
        Sent ahead = confirmedAhead.remove(position);
        if (ahead != null && ahead.command().commandId().equals(command.commandId())) {
            answeredInPoll.put(command.commandId(), ahead.acks());
            return ahead; // its acks were confirmed before the rewind that brought it back: only remembered now
        }
        List<CommandAck> sameInPoll = answeredInPoll.get(command.commandId());
        if (sameInPoll != null) {
            // A repeat within one poll: its first copy's ack is not remembered yet (that happens when the poll is
            // confirmed), so it is answered like a command acknowledged before: its ack again, no handler.
            LOG.info("command {} ({}) for {} was acknowledged before ({}); publishing its ack again",
                    command.commandId(), command.kind(), systemName, sameInPoll.get(0).outcome());
            return sendAcks(command, List.of(sameInPoll.get(0)), key, false);
        }
        List<CommandAck> kept = unconfirmed.get(position);
        if (kept != null && kept.get(0).commandId().equals(command.commandId())) {
            answeredInPoll.put(command.commandId(), kept);
            return sendAcks(command, kept, key, true);
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
            return sendAcks(command, List.of(known.get()), key, false);
        }
        List<CommandAck> acks = rules.acks(command, handle(command, envelope));
        answeredInPoll.put(command.commandId(), acks);
        try {
            return sendAcks(command, acks, key, true);
        } catch (RetryLater e) {
            unconfirmed.put(position, acks); // the retry republishes, not re-runs
            throw e;
        }
    }

    /**
     * Sends the acks. A single ack is sent without waiting (confirmed with the rest of the poll); an export's parts
     * are sent and confirmed one after the other, in order, as they always were.
     */
    private Sent sendAcks(PrivacyCommand command, List<CommandAck> acks, String key, boolean remember)
            throws RetryLater, InterruptedException {
        List<Future<RecordMetadata>> futures = new ArrayList<>(acks.size());
        if (acks.size() == 1) {
            futures.add(sendAsync(command, acks.get(0), key));
        } else {
            for (CommandAck ack : acks) {
                Future<RecordMetadata> future = sendAsync(command, ack, key);
                await(future, "publishing the ack of command " + command.commandId());
                futures.add(future);
            }
        }
        return new Sent(command, acks, futures, remember && rules.remembers(command, acks.get(0)));
    }

    private Future<RecordMetadata> sendAsync(PrivacyCommand command, CommandAck ack, String key) throws RetryLater {
        EventEnvelope envelope = codec.envelope(ackEventId(ack), rules.source(), command.tenantId(), key, ack);
        ProducerRecord<String, byte[]> record = envelope.toRecord(Topics.COMMAND_ACK);
        ackSignature.signInto(envelope, record.headers());
        try {
            return producer.send(new ProducerRecord<>(record.topic(), null, null, keyBytes(record.key()),
                    record.value(), record.headers()));
        } catch (InterruptException e) {
            throw e;
        } catch (KafkaException e) {
            throw new RetryLater("publishing the ack of command " + command.commandId(), e);
        }
    }

    private static void await(Future<RecordMetadata> future, String what) throws RetryLater, InterruptedException {
        try {
            future.get();
        } catch (ExecutionException e) {
            throw new RetryLater(what, e.getCause());
        }
    }

    /** The handler's result; in this mode an exception is a {@code FAILED} result with the exception's message. */
    private CommandResult handle(PrivacyCommand command, EventEnvelope envelope) throws InterruptedException {
        try {
            return handler.handle(command, envelope);
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception e) {
            // The message goes to the ack (the issuer needs it), not to the log: it may name the subject.
            LOG.warn("command {} ({}) for {} failed in the handler: {}", command.commandId(), command.kind(),
                    systemName, e.getClass().getName());
            return CommandResult.failed(e.getMessage() == null || e.getMessage().isBlank()
                    ? e.getClass().getName() : e.getMessage());
        }
    }

    private void deadLetter(ConsumerRecord<byte[], byte[]> record, RuntimeException error)
            throws RetryLater, InterruptedException {
        ProducerRecord<byte[], byte[]> copy = DeadLetterCopy.of(record, error, systemName);
        LOG.warn("record {}-{}@{} is not a valid command ({}); copying it to {}", record.topic(), record.partition(),
                record.offset(), error.getClass().getSimpleName(), copy.topic());
        try {
            send(copy, "copying a record to " + copy.topic());
        } catch (RetryLater e) {
            if (!(e.getCause() instanceof RecordTooLargeException)) {
                throw e;
            }
            send(DeadLetterCopy.withoutValue(copy, record.serializedValueSize()),
                    "copying a record without its value to " + copy.topic());
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

    /**
     * The same ack always travels with the same event id, so a republished ack is recognisably a duplicate; each
     * part of an export has its own.
     */
    private String ackEventId(CommandAck ack) {
        String part = ack.part() == null ? "" : "\n" + ack.part();
        return UUID.nameUUIDFromBytes((ack.system() + '\n' + ack.commandId() + '\n' + ack.completedAt() + part)
                .getBytes(StandardCharsets.UTF_8)).toString();
    }

    /**
     * Kafka's messages are safe to log; a store's own exceptions (its database's) may quote data: class only, and for
     * anything else where it was thrown (so a bug can be found without its message).
     */
    private static String describe(Throwable error) {
        if (error == null) {
            return "-";
        }
        if (error instanceof KafkaException) {
            return error.toString();
        }
        StackTraceElement[] frames = error.getStackTrace();
        return error.getClass().getName() + (frames.length > 0 ? " at " + frames[0] : "");
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

    /** A record's place: where its kept acks belong. */
    private record Position(TopicPartition partition, long offset) {
    }

    /** A record taken from a poll, with the acks sent for it (null: nothing to confirm). */
    private record Taken(TopicPartition partition, long offset, Sent sent) {
    }

    /** Acks sent for a command, to be confirmed by the broker and then (if {@code remember}) remembered. */
    private record Sent(PrivacyCommand command, List<CommandAck> acks, List<Future<RecordMetadata>> futures,
            boolean remember) {

        void awaitPublished() throws RetryLater, InterruptedException {
            for (Future<RecordMetadata> future : futures) {
                await(future, "publishing the ack of command " + command.commandId());
            }
        }

        /** The same acks, already confirmed by the broker: confirming them again only remembers them. */
        Sent published() {
            return new Sent(command, acks, List.of(), remember);
        }

        void confirm(CommandSubscriber subscriber) throws RetryLater, InterruptedException {
            awaitPublished();
            if (remember) {
                try {
                    subscriber.acknowledged.remember(acks.get(0)); // parts are an EXPORT's, never remembered
                } catch (RuntimeException e) {
                    throw new RetryLater("remembering the ack of command " + command.commandId(), e);
                }
            }
        }
    }

    /** Publishing, remembering or committing failed: the record is taken again after a backoff. */
    private static final class RetryLater extends Exception {

        RetryLater(String message, Throwable cause) {
            super(message, cause, false, false);
        }
    }
}
