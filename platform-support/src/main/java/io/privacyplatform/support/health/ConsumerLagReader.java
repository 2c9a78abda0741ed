package io.privacyplatform.support.health;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The consumer lag of this service's channels: per consumer group and topic, the sum over the partitions of the
 * last stable offset minus the group's committed offset (the log start when the group has committed nothing).
 * <p>
 * The relay publishes in Kafka transactions, and each transaction ends with a commit marker that occupies an
 * offset but is never delivered: a consumer that processed everything commits the offset of that marker, one
 * short of the end. Counted naively, every partition that ever received a transaction would show a lag of 1
 * forever. So a partition whose lag is small is probed with a read_committed reader: when it reaches the end
 * without finding a record, the gap is only markers and the lag is 0. A large lag is counted as it is (it may
 * include one marker per transaction behind).
 */
@ApplicationScoped
public class ConsumerLagReader {

    /** A consumer group and a topic it reads. */
    public record GroupTopic(String group, String topic) {
    }

    /** Lags up to this many offsets are probed for markers; larger ones are real work waiting. */
    static final long PROBED_LAG_LIMIT = 100;
    private static final long TIMEOUT_SECONDS = 5;
    private static final Duration PROBE_TIME = Duration.ofSeconds(2);

    @Inject
    IncomingChannels channels;

    @Inject
    OperationsKafkaClients clients;

    /** The lag of every group and topic of this service's channels; throws when the broker does not answer. */
    public Map<GroupTopic, Long> read() throws Exception {
        Admin admin = clients.admin();
        Set<GroupTopic> wanted = new HashSet<>();
        channels.all().forEach(c -> wanted.add(new GroupTopic(c.groupId(), c.topic())));
        Set<String> topics = new HashSet<>();
        wanted.forEach(w -> topics.add(w.topic()));
        if (topics.isEmpty()) {
            return Map.of();
        }
        Map<String, TopicDescription> descriptions = admin.describeTopics(topics).allTopicNames()
                .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        Map<TopicPartition, OffsetSpec> earliest = new HashMap<>();
        descriptions.values().forEach(d -> d.partitions().forEach(p -> {
            latest.put(new TopicPartition(d.name(), p.partition()), OffsetSpec.latest());
            earliest.put(new TopicPartition(d.name(), p.partition()), OffsetSpec.earliest());
        }));
        ListOffsetsOptions committedOnly = new ListOffsetsOptions(IsolationLevel.READ_COMMITTED);
        Map<TopicPartition, Long> ends = offsets(admin.listOffsets(latest, committedOnly).all()
                .get(TIMEOUT_SECONDS, TimeUnit.SECONDS));
        Map<TopicPartition, Long> starts = offsets(admin.listOffsets(earliest, committedOnly).all()
                .get(TIMEOUT_SECONDS, TimeUnit.SECONDS));

        Map<GroupTopic, Long> lags = new HashMap<>();
        Map<GroupTopic, Map<TopicPartition, Long>> positions = new HashMap<>();
        for (GroupTopic groupTopic : wanted) {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(groupTopic.group())
                    .partitionsToOffsetAndMetadata().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            Map<TopicPartition, Long> groupPositions = new HashMap<>();
            for (TopicPartition partition : ends.keySet()) {
                if (!partition.topic().equals(groupTopic.topic())) {
                    continue;
                }
                OffsetAndMetadata offset = committed.get(partition);
                long position = offset == null ? starts.get(partition) : offset.offset();
                groupPositions.put(partition, position);
            }
            positions.put(groupTopic, groupPositions);
        }
        // One probe per partition and position, shared by groups that stand at the same place.
        List<ProbeKey> probes = new ArrayList<>();
        positions.values().forEach(groupPositions -> groupPositions.forEach((partition, position) -> {
            long gap = ends.get(partition) - position;
            if (gap > 0 && gap <= PROBED_LAG_LIMIT) {
                probes.add(new ProbeKey(partition, position));
            }
        }));
        Set<ProbeKey> onlyMarkers = probe(probes, ends);
        positions.forEach((groupTopic, groupPositions) -> {
            long lag = 0;
            for (Map.Entry<TopicPartition, Long> entry : groupPositions.entrySet()) {
                long gap = Math.max(0, ends.get(entry.getKey()) - entry.getValue());
                if (onlyMarkers.contains(new ProbeKey(entry.getKey(), entry.getValue()))) {
                    gap = 0;
                }
                lag += gap;
            }
            lags.put(groupTopic, lag);
        });
        return lags;
    }

    private record ProbeKey(TopicPartition partition, long position) {
    }

    /** The probes whose partition holds no record between the position and the end. */
    private Set<ProbeKey> probe(List<ProbeKey> probes, Map<TopicPartition, Long> ends) {
        Set<ProbeKey> onlyMarkers = new HashSet<>();
        if (probes.isEmpty()) {
            return onlyMarkers;
        }
        Map<String, Object> props = clients.connection();
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, clients.clientId("lag-probe"));
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1);
        props.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 1024);
        // Probed one at a time: two groups at different positions of one partition need different seeks.
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            for (ProbeKey probe : probes) {
                if (holdsOnlyMarkers(consumer, probe, ends.get(probe.partition()))) {
                    onlyMarkers.add(probe);
                }
            }
        }
        return onlyMarkers;
    }

    private static boolean holdsOnlyMarkers(KafkaConsumer<byte[], byte[]> consumer, ProbeKey probe, long end) {
        consumer.assign(List.of(probe.partition()));
        consumer.seek(probe.partition(), probe.position());
        long deadline = System.nanoTime() + PROBE_TIME.toNanos();
        while (System.nanoTime() < deadline) {
            for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                if (record.offset() < end) {
                    return false;
                }
            }
            if (consumer.position(probe.partition()) >= end) {
                return true;
            }
        }
        return false; // undecided: counted as lag rather than hidden
    }

    private static Map<TopicPartition, Long> offsets(
            Map<TopicPartition, ListOffsetsResultInfo> infos) {
        Map<TopicPartition, Long> offsets = new HashMap<>();
        infos.forEach((partition, info) -> offsets.put(partition, info.offset()));
        return offsets;
    }
}
