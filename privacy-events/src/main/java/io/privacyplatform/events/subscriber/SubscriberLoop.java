package io.privacyplatform.events.subscriber;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

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
import io.privacyplatform.events.InvalidEventException;
import io.privacyplatform.events.keys.SubjectErasedException;
import io.privacyplatform.events.TenantScoped;

/**
 * The kit's engine, the same for every kind of subscriber ({@link SubscriberProtocol} says what is read and how it
 * is answered): one thread polls (manual commits), copies a record that is not a valid message to the topic's
 * {@code .dlq} (with {@code dlq-*} headers), publishes each acknowledgement signed, with an idempotent producer (an
 * export too large for one ack as ordered parts, one after the other), and commits a record's offset only once its
 * acknowledgements are confirmed and remembered; if acting, publishing or remembering fails it seeks back to that
 * record and retries after the backoff, republishing the same acknowledgements without acting again. No valid message
 * ever goes to the dead-letter topic: an infrastructure failure and an unexpected bug alike make the loop take the
 * record again after the backoff, uncommitted, for as long as it takes (logged at ERROR for a bug), never skip it or
 * stop. Log lines name ids and kinds ({@link SubscriberProtocol#describe}), never a subject, an address or an
 * exception's message.
 */
final class SubscriberLoop<M extends TenantScoped, A> implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SubscriberLoop.class);

    /** What the loop is, for log lines and its thread's name: {@code command subscriber}, {@code consent ...}. */
    private final String label;
    private final String systemName;
    private final String groupId;
    private final String topic;
    private final String ackTopic;
    private final String ackSource;
    private final SubscriberProtocol<M, A> protocol;
    private final ClientSettings clients;
    private final EventCodec codec;
    private final EventSignature ackSignature;
    private final Duration pollTimeout;
    private final Duration retryBackoff;
    private final Duration closeTimeout;

    private final CountDownLatch closeSignal = new CountDownLatch(1);
    private final AtomicLong erasedSkipped = new AtomicLong();
    private final Map<TopicPartition, OffsetAndMetadata> uncommitted = new HashMap<>();
    private volatile boolean closing;
    private volatile boolean running;
    private Thread thread;
    private KafkaConsumer<byte[], byte[]> consumer;
    private KafkaProducer<byte[], byte[]> producer;
    /** The acks of records to be retried, so a retry republishes them instead of acting again. */
    private final Map<Position, List<A>> unconfirmed = new HashMap<>();
    /** Records behind a failed one whose acks were confirmed: their redelivery is not answered again. */
    private final Map<Position, Sent<A>> confirmedAhead = new HashMap<>();
    /** The acks of the messages answered in the current poll, by message id (a repeat is not acted on again). */
    private final Map<String, List<A>> answeredInPoll = new HashMap<>();

    /**
     * @param builder the timings, client settings and signing key (checked here)
     * @param systemName the system, already checked by the protocol's rules
     * @param defaultGroupPrefix the group is this and the system name unless the builder names one
     * @param topic what is read
     * @param ackTopic where the acknowledgements go, with {@code ce_source} {@code ackSource}
     */
    SubscriberLoop(String label, SubscriberBuilder<?> builder, String systemName, String defaultGroupPrefix,
            String topic, String ackTopic, String ackSource, EventCodec codec, SubscriberProtocol<M, A> protocol) {
        this.label = label;
        this.systemName = systemName;
        this.topic = topic;
        this.ackTopic = ackTopic;
        this.ackSource = ackSource;
        this.protocol = protocol;
        this.codec = codec;
        this.groupId = builder.groupId != null ? requireText(builder.groupId, "groupId")
                : defaultGroupPrefix + systemName;
        this.ackSignature = new EventSignature(systemName,
                Objects.requireNonNull(builder.ackSigningKey, "ackSigningKey"));
        this.pollTimeout = positive(builder.pollTimeout, "pollTimeout");
        this.retryBackoff = positive(builder.retryBackoff, "retryBackoff");
        this.closeTimeout = positive(builder.closeTimeout, "closeTimeout");
        this.clients = ClientSettings.of(builder, groupId);
    }

    /** Checks what every subscriber needs before its own settings are looked at. */
    static EventCodec codecOf(SubscriberBuilder<?> builder) {
        requireText(builder.bootstrapServers, "bootstrapServers");
        return new EventCodec(Objects.requireNonNull(builder.clock, "clock"), builder.subjectKeys);
    }

    String systemName() {
        return systemName;
    }

    String groupId() {
        return groupId;
    }

    /** Records skipped because their subject's data key is destroyed (erased subjects), since start. */
    long erasedSkipped() {
        return erasedSkipped.get();
    }

    boolean isRunning() {
        return running;
    }

    /** Creates the clients and starts the loop thread. */
    synchronized void start() {
        if (closing) {
            throw new IllegalStateException(label + " for " + systemName + " is closed");
        }
        if (thread != null) {
            throw new IllegalStateException(label + " for " + systemName + " is already started");
        }
        consumer = new KafkaConsumer<>(clients.consumer());
        try {
            producer = new KafkaProducer<>(clients.producer());
        } catch (RuntimeException e) {
            consumer.close();
            throw e;
        }
        thread = new Thread(this::run, label.replace(' ', '-') + "-" + systemName);
        running = true;
        thread.start();
        LOG.info("{} for {} started (group {})", label, systemName, groupId);
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
                LOG.warn("{} for {} did not stop within {}; interrupting it", label, systemName, closeTimeout);
                loop.interrupt();
                loop.join(closeTimeout.toMillis());
            }
            if (loop.isAlive()) {
                LOG.warn("{} for {} is still running; closing its producer", label, systemName);
                producer.close(Duration.ZERO);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        try {
            consumer.subscribe(List.of(topic));
            while (!closing) {
                try {
                    ConsumerRecords<byte[], byte[]> batch = consumer.poll(pollTimeout);
                    if (!batch.isEmpty()) {
                        processBatch(batch);
                    }
                } catch (WakeupException | InterruptException e) {
                    throw e;
                } catch (KafkaException e) {
                    LOG.warn("{} for {}: {}; retrying in {}", label, systemName, e.toString(), retryBackoff);
                    backoff();
                }
            }
        } catch (WakeupException e) {
            if (!closing) {
                LOG.error("{} for {} woken up unexpectedly; stopping", label, systemName);
            }
        } catch (InterruptedException | InterruptException e) {
            LOG.info("{} for {} interrupted; stopping", label, systemName);
        } catch (RuntimeException | Error e) {
            if (closing) {
                LOG.info("{} for {} stopped while closing: {}", label, systemName, e.getClass().getName());
            } else {
                LOG.error("{} for {} stopped by an unexpected {}", label, systemName, e.getClass().getName());
            }
        } finally {
            running = false;
            finalCommit();
            closeQuietly(consumer);
            closeQuietly(producer);
            LOG.info("{} for {} stopped", label, systemName);
        }
    }

    /**
     * Handles a poll's records one after the other, but sends their acks without waiting for each: the acks of the
     * whole poll are confirmed together at its end (one broker round trip instead of one per message). A record's
     * offset is committed only once its acks, and those of every earlier record of its partition, are confirmed and
     * remembered; a record whose acks were not confirmed keeps them ({@link #unconfirmed}) and is taken again,
     * republishing the same acks without acting again.
     */
    private void processBatch(ConsumerRecords<byte[], byte[]> batch) throws InterruptedException {
        List<TopicPartition> partitions = new ArrayList<>(batch.partitions());
        List<Taken<A>> taken = new ArrayList<>();
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
                    taken.add(new Taken<>(partition, record.offset(), process(partition, record)));
                } catch (RetryLater e) {
                    LOG.warn("{} for {}: {} at {}-{}@{} failed ({}); retrying in {}", label, systemName,
                            e.getMessage(), record.topic(), record.partition(), record.offset(),
                            describe(e.getCause()), retryBackoff);
                    retryFrom(batch, taken, partitions.subList(p, partitions.size()), record.offset());
                    return;
                } catch (WakeupException | InterruptException e) {
                    throw e;
                } catch (RuntimeException e) {
                    // A valid message met a bug (ours, or the system's memory of its acks): it is neither
                    // dead-lettered nor skipped, and the subscriber does not stop. The record is taken again after
                    // the backoff, for as long as it fails: a stalled, loudly logged partition with growing lag is
                    // recoverable by a fix; a lost erasure or withdrawal is not.
                    LOG.error("{} for {}: STALLED at {}-{}@{} by an unexpected {}; the record is not committed and is"
                            + " taken again in {}", label, systemName, record.topic(), record.partition(),
                            record.offset(), describe(e), retryBackoff);
                    retryFrom(batch, taken, partitions.subList(p, partitions.size()), record.offset());
                    return;
                }
            }
        }
        Map<TopicPartition, Long> failed = settle(taken);
        commitUncommitted();
        if (!failed.isEmpty()) {
            seek(failed);
            backoff();
        }
    }

    /**
     * Confirms the acks sent for the taken records, in order, remembers the rememberable ones and marks their offsets
     * for the commit. Per partition it stops at the first record that could not be confirmed or remembered: that
     * record and the later ones of its partition keep their acks for the retry. Answers, per such partition, the
     * offset to take again.
     */
    private Map<TopicPartition, Long> settle(List<Taken<A>> taken) throws InterruptedException {
        Map<TopicPartition, Long> failed = new HashMap<>();
        for (Taken<A> record : taken) {
            Position position = new Position(record.partition(), record.offset());
            Sent<A> sent = record.sent();
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
                    confirm(sent);
                    unconfirmed.remove(position);
                } catch (RetryLater e) {
                    LOG.warn("{} for {}: {} at {}-{}@{} failed ({}); retrying in {}", label, systemName,
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
    private void retryFrom(ConsumerRecords<byte[], byte[]> batch, List<Taken<A>> taken, List<TopicPartition> untaken,
            long failedOffset) throws InterruptedException {
        Map<TopicPartition, Long> failed = settle(taken);
        commitUncommitted();
        failed.merge(untaken.get(0), failedOffset, Math::min);
        for (int i = 1; i < untaken.size(); i++) {
            failed.put(untaken.get(i), batch.records(untaken.get(i)).get(0).offset());
        }
        seek(failed);
        backoff();
    }

    private void seek(Map<TopicPartition, Long> offsets) {
        offsets.forEach((partition, offset) -> {
            if (consumer.assignment().contains(partition)) {
                consumer.seek(partition, offset);
            }
        });
    }

    /**
     * Decodes the record, acts on it and sends its acks; answers what was sent and still has to be confirmed, or
     * null when nothing is left to confirm (not this subscriber's; dead-lettered, which is confirmed at once).
     */
    private Sent<A> process(TopicPartition partition, ConsumerRecord<byte[], byte[]> record)
            throws RetryLater, InterruptedException {
        EventEnvelope envelope;
        M message;
        try {
            envelope = EventEnvelope.fromRecord(withStringKey(record));
            message = protocol.decode(envelope);
        } catch (SubjectErasedException e) {
            // Its subject was erased after it was written (the data key is destroyed): nothing is left to act on,
            // nothing to retry, no poison. Skipped and committed, and counted.
            erasedSkipped.incrementAndGet();
            LOG.info("{} for {} skipped {}-{}@{}: its subject is erased (data key {} destroyed)", label, systemName,
                    record.topic(), record.partition(), record.offset(), e.keyId());
            return null;
        } catch (InvalidEventException | IllegalArgumentException e) {
            deadLetter(record, e); // the record's own fault: no retry can cure it
            return null;
        } catch (RuntimeException e) {
            // Not the record's fault: the key store that opens its sealed fields is away (its database restarts),
            // or this reader is misconfigured. Dead-lettering would lose a valid message; it is tried again.
            throw new RetryLater("decoding " + record.topic() + "-" + record.partition() + "@" + record.offset(), e);
        }
        if (!protocol.concerns(message)) {
            return null;
        }
        String id = protocol.idOf(message);
        String key = envelope.key();
        Position position = new Position(partition, record.offset());
        Sent<A> ahead = confirmedAhead.remove(position);
        if (ahead != null && ahead.id().equals(id)) {
            answeredInPoll.put(id, ahead.acks());
            return ahead; // its acks were confirmed before the rewind that brought it back: only remembered now
        }
        List<A> sameInPoll = answeredInPoll.get(id);
        if (sameInPoll != null) {
            // A repeat within one poll: its first copy's ack is not remembered yet (that happens when the poll is
            // confirmed), so it is answered like a message acknowledged before: its ack again, nothing done.
            LOG.info("{} for {} was acknowledged before ({}); publishing its ack again", protocol.describe(message),
                    systemName, protocol.outcomeOf(sameInPoll.get(0)));
            return sendAcks(message, id, List.of(sameInPoll.get(0)), key, false);
        }
        List<A> kept = unconfirmed.get(position);
        if (kept != null && protocol.answered(kept.get(0)).equals(id)) {
            answeredInPoll.put(id, kept);
            return sendAcks(message, id, kept, key, true);
        }
        Optional<A> known;
        try {
            known = protocol.remembered(id);
        } catch (RuntimeException e) {
            throw new RetryLater("looking up " + protocol.describe(message), e);
        }
        if (known.isPresent()) {
            LOG.info("{} for {} was acknowledged before ({}); publishing its ack again", protocol.describe(message),
                    systemName, protocol.outcomeOf(known.get()));
            return sendAcks(message, id, List.of(known.get()), key, false);
        }
        List<A> acks = protocol.answer(message, envelope);
        answeredInPoll.put(id, acks);
        try {
            return sendAcks(message, id, acks, key, true);
        } catch (RetryLater e) {
            unconfirmed.put(position, acks); // the retry republishes, not re-runs
            throw e;
        }
    }

    /**
     * Sends the acks. A single ack is sent without waiting (confirmed with the rest of the poll); an export's parts
     * are sent and confirmed one after the other, in order.
     */
    private Sent<A> sendAcks(M message, String id, List<A> acks, String key, boolean remember)
            throws RetryLater, InterruptedException {
        List<Future<RecordMetadata>> futures = new ArrayList<>(acks.size());
        if (acks.size() == 1) {
            futures.add(sendAsync(message, acks.get(0), key));
        } else {
            for (A ack : acks) {
                Future<RecordMetadata> future = sendAsync(message, ack, key);
                await(future, "publishing the ack of " + protocol.describe(message));
                futures.add(future);
            }
        }
        return new Sent<>(id, protocol.describe(message), acks, futures,
                remember && protocol.remembers(message, acks.get(0)));
    }

    private Future<RecordMetadata> sendAsync(M message, A ack, String key) throws RetryLater {
        EventEnvelope envelope = codec.envelope(protocol.ackEventId(ack), ackSource, message.tenantId(), key,
                ack);
        ProducerRecord<String, byte[]> record = envelope.toRecord(ackTopic);
        ackSignature.signInto(envelope, record.headers());
        try {
            return producer.send(new ProducerRecord<>(record.topic(), null, null, keyBytes(record.key()),
                    record.value(), record.headers()));
        } catch (InterruptException e) {
            throw e;
        } catch (KafkaException e) {
            throw new RetryLater("publishing the ack of " + protocol.describe(message), e);
        }
    }

    /** Waits for the broker to confirm the acks, then remembers the first if it is to be remembered. */
    private void confirm(Sent<A> sent) throws RetryLater, InterruptedException {
        sent.awaitPublished();
        if (sent.remember()) {
            try {
                protocol.remember(sent.acks().get(0)); // several acks are an EXPORT's parts, never remembered
            } catch (RuntimeException e) {
                throw new RetryLater("remembering the ack of " + sent.described(), e);
            }
        }
    }

    private static void await(Future<RecordMetadata> future, String what) throws RetryLater, InterruptedException {
        try {
            future.get();
        } catch (ExecutionException e) {
            throw new RetryLater(what, e.getCause());
        }
    }

    private void deadLetter(ConsumerRecord<byte[], byte[]> record, RuntimeException error)
            throws RetryLater, InterruptedException {
        ProducerRecord<byte[], byte[]> copy = DeadLetterCopy.of(record, error, systemName);
        LOG.warn("record {}-{}@{} is not valid for the {} ({}); copying it to {}", record.topic(),
                record.partition(), record.offset(), label, error.getClass().getSimpleName(), copy.topic());
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
                LOG.warn("{} for {}: final commit failed: {}", label, systemName, e.getClass().getName());
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
            // The acks are published and remembered: a redelivery republishes them without acting again.
            LOG.warn("{} for {}: commit failed: {}", label, systemName, e.toString());
            uncommitted.clear();
        }
    }

    private void backoff() throws InterruptedException {
        closeSignal.await(retryBackoff.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Kafka's messages are safe to log; a system's own exceptions (its database's, its handler's) may quote data:
     * class only, and for anything else where it was thrown (so a bug can be found without its message).
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
            LOG.warn("{} for {}: closing a client failed: {}", label, systemName, e.getClass().getName());
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
    private record Taken<A>(TopicPartition partition, long offset, Sent<A> sent) {
    }

    /**
     * Acks sent for the message with id {@code id}, to be confirmed by the broker and then (if {@code remember})
     * remembered.
     */
    private record Sent<A>(String id, String described, List<A> acks, List<Future<RecordMetadata>> futures,
            boolean remember) {

        void awaitPublished() throws RetryLater, InterruptedException {
            for (Future<RecordMetadata> future : futures) {
                await(future, "publishing the ack of " + described);
            }
        }

        /** The same acks, already confirmed by the broker: confirming them again only remembers them. */
        Sent<A> published() {
            return new Sent<>(id, described, acks, List.of(), remember);
        }
    }
}
