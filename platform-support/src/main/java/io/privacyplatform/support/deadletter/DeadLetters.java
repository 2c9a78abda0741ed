package io.privacyplatform.support.deadletter;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.micrometer.core.instrument.MeterRegistry;
import io.privacyplatform.events.Topics;
import io.privacyplatform.support.error.ApiException;
import io.privacyplatform.support.error.ErrorResponse.FieldProblem;
import io.privacyplatform.support.health.IncomingChannels;
import io.privacyplatform.events.TopicAccess;
import io.privacyplatform.support.health.OperationsKafkaClients;
import io.privacyplatform.support.rest.Page;

/**
 * Lists and replays the records on this service's dead-letter topics (the {@code dead-letter-queue.topic} of its
 * channels, {@link IncomingChannels}). A replay publishes the chosen records again to the topic they came from
 * (only that one: a dead-letter record cannot be redirected elsewhere), with their key, value and headers minus
 * the error headers, all in one Kafka transaction. Consumers deduplicate on {@code ce_id}: a record that took
 * effect before has none again, one that was rejected is processed now.
 */
@ApplicationScoped
public class DeadLetters {

    private static final Logger LOG = Logger.getLogger(DeadLetters.class);

    /** SmallRye's error headers ({@code dead-letter-*}) and the subscriber kit's ({@code dlq-*}). */
    private static final List<String> ERROR_HEADER_PREFIXES = List.of("dead-letter-", "dlq-");
    private static final List<String> ORIGINAL_TOPIC_HEADERS = List.of("dead-letter-topic", "dlq-original-topic");
    private static final int MAX_HEADER_CHARS = 1000;
    public static final int MAX_REPLAY = 100;
    private static final Duration READ_TIME = Duration.ofSeconds(10);

    @Inject
    IncomingChannels channels;

    @Inject
    OperationsKafkaClients clients;

    @Inject
    MeterRegistry registry;

    @ConfigProperty(name = "privacy.service.name")
    String serviceName;

    public Set<String> topics() {
        return channels.deadLetterTopics();
    }

    /** One page of {@code topic}, in partition and offset order (oldest first). */
    public Page<DeadLetterRecord> list(String topic, int limit, String cursor) {
        requireDeadLetterTopic(topic);
        DeadLetterCursor start = DeadLetterCursor.decode(cursor);
        List<DeadLetterRecord> found = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = consumer("dead-letter-list")) {
            long deadline = System.nanoTime() + READ_TIME.toNanos();
            for (TopicPartition partition : partitions(consumer, topic)) {
                if (start != null && partition.partition() < start.partition()) {
                    continue;
                }
                long from = start != null && partition.partition() == start.partition() ? start.offset() : -1;
                readPartition(consumer, partition, from, limit + 1 - found.size(), deadline, found);
                if (found.size() > limit) {
                    break;
                }
            }
        }
        if (found.size() > limit) {
            DeadLetterRecord next = found.get(limit);
            return new Page<>(List.copyOf(found.subList(0, limit)),
                    new DeadLetterCursor(next.partition(), next.offset()).encode());
        }
        return new Page<>(List.copyOf(found), null);
    }

    /** Publishes the chosen records again, all or none; {@code actor} is recorded with each. */
    public ReplayResult replay(ReplayRequest request, String actor) {
        List<ReplayRequest.RecordRef> refs = validate(request);
        String topic = request.topic();
        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        List<FieldProblem> missing = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = consumer("dead-letter-replay-read")) {
            long deadline = System.nanoTime() + READ_TIME.toNanos();
            for (int i = 0; i < refs.size(); i++) {
                ConsumerRecord<String, byte[]> record = readOne(consumer,
                        new TopicPartition(topic, refs.get(i).partition()), refs.get(i).offset(), deadline);
                if (record == null) {
                    missing.add(new FieldProblem("records[" + i + "]", "no such record on " + topic, i));
                } else {
                    records.add(record);
                }
            }
        }
        if (!missing.isEmpty()) {
            throw new ApiException(404, "not_found", "some records are not on the dead-letter topic", missing);
        }
        String original = topic.substring(0, topic.length() - Topics.DLQ_SUFFIX.length());
        List<FieldProblem> notFromThere = new ArrayList<>();
        for (int i = 0; i < records.size(); i++) {
            if (!original.equals(originalTopic(records.get(i)))) {
                notFromThere.add(new FieldProblem("records[" + i + "]",
                        "was not dead-lettered from " + original + "; it cannot be replayed there", i));
            }
        }
        if (!notFromThere.isEmpty()) {
            throw ApiException.unprocessable("not_replayable", "some records cannot be replayed", notFromThere);
        }
        List<ReplayResult.Replayed> replayed = publish(original, records);
        for (ReplayResult.Replayed one : replayed) {
            LOG.infof("dead letter replayed by %s: %s-%d@%d (event %s) to %s-%d@%d", actor, topic, one.partition(),
                    one.offset(), one.eventId(), original, one.replayedPartition(), one.replayedOffset());
            registry.counter("privacy.dead.letters.replayed", "topic", topic).increment();
        }
        return new ReplayResult(replayed);
    }

    private List<ReplayRequest.RecordRef> validate(ReplayRequest request) {
        if (request == null) {
            throw ApiException.validation("$", "a body is required");
        }
        requireDeadLetterTopic(request.topic());
        if (request.records() == null || request.records().isEmpty()) {
            throw ApiException.validation("records", "must name at least one record");
        }
        if (request.records().size() > MAX_REPLAY) {
            throw ApiException.validation("records", "must name at most " + MAX_REPLAY + " records");
        }
        List<FieldProblem> problems = new ArrayList<>();
        Set<ReplayRequest.RecordRef> seen = new HashSet<>();
        for (int i = 0; i < request.records().size(); i++) {
            ReplayRequest.RecordRef ref = request.records().get(i);
            if (ref == null || ref.partition() == null || ref.partition() < 0) {
                problems.add(new FieldProblem("records[" + i + "].partition", "must be 0 or more", i));
            } else if (ref.offset() == null || ref.offset() < 0) {
                problems.add(new FieldProblem("records[" + i + "].offset", "must be 0 or more", i));
            } else if (!seen.add(ref)) {
                problems.add(new FieldProblem("records[" + i + "]", "is named twice", i));
            }
        }
        if (!problems.isEmpty()) {
            throw ApiException.validation(problems);
        }
        return request.records();
    }

    private void requireDeadLetterTopic(String topic) {
        if (topic == null || topic.isBlank()) {
            throw ApiException.validation("topic", "is required; one of " + topics());
        }
        if (!topics().contains(topic)) {
            throw ApiException.validation("topic", "is not a dead-letter topic of this service; one of " + topics());
        }
    }

    private List<ReplayResult.Replayed> publish(String topic, List<ConsumerRecord<String, byte[]>> records) {
        Map<String, Object> props = clients.connection();
        // Under the transactional-id prefix the service's Kafka principal may use (TopicAccess), like its relay.
        String transactionalId = TopicAccess.relayTransactionalIdPrefixOf(serviceName) + "dead-letter-replay-"
                + UUID.randomUUID();
        props.put(ProducerConfig.CLIENT_ID_CONFIG, transactionalId);
        props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 15_000);
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(props, new StringSerializer(),
                new ByteArraySerializer())) {
            producer.initTransactions();
            producer.beginTransaction();
            List<java.util.concurrent.Future<RecordMetadata>> sent = new ArrayList<>();
            for (ConsumerRecord<String, byte[]> record : records) {
                RecordHeaders headers = new RecordHeaders();
                for (Header header : record.headers()) {
                    if (!isErrorHeader(header.key())) {
                        headers.add(header);
                    }
                }
                sent.add(producer.send(new ProducerRecord<>(topic, null, record.key(), record.value(), headers)));
            }
            producer.commitTransaction();
            List<ReplayResult.Replayed> replayed = new ArrayList<>();
            for (int i = 0; i < records.size(); i++) {
                RecordMetadata metadata = sent.get(i).get(5, TimeUnit.SECONDS);
                ConsumerRecord<String, byte[]> record = records.get(i);
                replayed.add(new ReplayResult.Replayed(record.partition(), record.offset(), header(record, "ce_id"),
                        topic, metadata.partition(), metadata.offset()));
            }
            return replayed;
        } catch (Exception e) {
            // The transaction was not committed (a closed producer aborts it): nothing was replayed.
            LOG.warnf(e, "replay to %s failed; nothing was replayed", topic);
            throw new ApiException(503, "replay_failed",
                    "the records could not be published to " + topic + " (" + e.getClass().getSimpleName()
                            + "); nothing was replayed",
                    null);
        }
    }

    private KafkaConsumer<String, byte[]> consumer(String purpose) {
        Map<String, Object> props = clients.connection();
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, clients.clientId(purpose));
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5_000);
        return new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
    }

    private static List<TopicPartition> partitions(KafkaConsumer<String, byte[]> consumer, String topic) {
        try {
            List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(5));
            return infos.stream().map(p -> new TopicPartition(topic, p.partition()))
                    .sorted(Comparator.comparingInt(TopicPartition::partition)).toList();
        } catch (RuntimeException e) {
            throw unavailable(e);
        }
    }

    /** Adds up to {@code wanted} records of the partition from {@code from} (-1: its beginning). */
    private static void readPartition(KafkaConsumer<String, byte[]> consumer, TopicPartition partition, long from,
            int wanted, long deadline, List<DeadLetterRecord> into) {
        try {
            consumer.assign(List.of(partition));
            long end = consumer.endOffsets(List.of(partition)).get(partition);
            long begin = consumer.beginningOffsets(List.of(partition)).get(partition);
            consumer.seek(partition, Math.max(begin, from));
            int added = 0;
            while (added < wanted && consumer.position(partition) < end) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("reading " + partition + " took too long");
                }
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    if (added < wanted && record.offset() < end) {
                        into.add(view(record));
                        added++;
                    }
                }
            }
        } catch (RuntimeException e) {
            throw unavailable(e);
        }
    }

    /** The record at {@code offset}, or null when the partition has none there (deleted by retention, or beyond). */
    private static ConsumerRecord<String, byte[]> readOne(KafkaConsumer<String, byte[]> consumer,
            TopicPartition partition, long offset, long deadline) {
        try {
            if (consumer.partitionsFor(partition.topic(), Duration.ofSeconds(5)).stream()
                    .noneMatch(p -> p.partition() == partition.partition())) {
                return null;
            }
            consumer.assign(List.of(partition));
            long end = consumer.endOffsets(List.of(partition)).get(partition);
            if (offset >= end || offset < consumer.beginningOffsets(List.of(partition)).get(partition)) {
                return null;
            }
            consumer.seek(partition, offset);
            while (consumer.position(partition) <= offset) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("reading " + partition + " took too long");
                }
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    if (record.offset() == offset) {
                        return record;
                    }
                }
            }
            return null;
        } catch (RuntimeException e) {
            throw unavailable(e);
        }
    }

    private static ApiException unavailable(RuntimeException e) {
        if (e instanceof ApiException api) {
            return api;
        }
        LOG.warnf(e, "could not read a dead-letter topic");
        return new ApiException(503, "broker_unavailable",
                "the dead-letter topic could not be read (" + e.getClass().getSimpleName() + ")", null);
    }

    private static DeadLetterRecord view(ConsumerRecord<String, byte[]> record) {
        Map<String, String> errors = new TreeMap<>();
        for (Header header : record.headers()) {
            if (isErrorHeader(header.key()) && header.value() != null) {
                errors.put(header.key(), truncate(new String(header.value(), StandardCharsets.UTF_8)));
            }
        }
        return new DeadLetterRecord(record.partition(), record.offset(), Instant.ofEpochMilli(record.timestamp()),
                record.key(), header(record, "ce_id"), header(record, "ce_type"), header(record, "ce_tenantid"),
                errors);
    }

    private static String originalTopic(ConsumerRecord<String, byte[]> record) {
        for (String name : ORIGINAL_TOPIC_HEADERS) {
            String value = header(record, name);
            if (value != null) {
                return value;
            }
        }
        return null;
    }

    private static boolean isErrorHeader(String key) {
        return ERROR_HEADER_PREFIXES.stream().anyMatch(key::startsWith);
    }

    /** The last value of a header: SmallRye appends its own after any the original record carried. */
    private static String header(ConsumerRecord<String, byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null || header.value() == null ? null
                : truncate(new String(header.value(), StandardCharsets.UTF_8));
    }

    private static String truncate(String value) {
        return value.length() <= MAX_HEADER_CHARS ? value : value.substring(0, MAX_HEADER_CHARS) + "…";
    }
}
