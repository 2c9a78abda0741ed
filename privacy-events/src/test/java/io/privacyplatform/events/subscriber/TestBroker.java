package io.privacyplatform.events.subscriber;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import io.privacyplatform.testing.KafkaTestCluster;

/** The platform's in-process test broker, with the helpers the subscriber tests need. */
final class TestBroker implements AutoCloseable {

    private final KafkaTestCluster cluster;
    private final Admin admin;
    private final KafkaProducer<String, byte[]> producer;

    private TestBroker(KafkaTestCluster cluster) {
        this.cluster = cluster;
        this.admin = cluster.admin();
        this.producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                cluster.bootstrapServers(), ProducerConfig.LINGER_MS_CONFIG, 0), new StringSerializer(),
                new ByteArraySerializer());
    }

    static TestBroker start() {
        return new TestBroker(KafkaTestCluster.start());
    }

    String bootstrapServers() {
        return cluster.bootstrapServers();
    }

    void createTopic(String name, int partitions) throws Exception {
        admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1))).all().get(30, TimeUnit.SECONDS);
    }

    RecordMetadata send(ProducerRecord<String, byte[]> record) throws Exception {
        return producer.send(record).get(30, TimeUnit.SECONDS);
    }

    /** Committed offsets of a consumer group, by partition. */
    Map<TopicPartition, Long> committed(String groupId) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(groupId)
                .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
        return offsets.entrySet().stream().filter(e -> e.getValue() != null)
                .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
    }

    /** Reads a whole topic from the beginning (no consumer group), keeping what it has read across calls. */
    TopicReader reader(String topic) {
        return new TopicReader(bootstrapServers(), topic);
    }

    @Override
    public void close() throws Exception {
        producer.close(Duration.ofSeconds(5));
        admin.close(Duration.ofSeconds(5));
        cluster.close();
    }

    static final class TopicReader implements AutoCloseable {

        private final KafkaConsumer<String, byte[]> consumer;
        private final List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();

        private TopicReader(String bootstrapServers, String topic) {
            consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                    ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(),
                    new ByteArrayDeserializer());
            List<TopicPartition> partitions = new ArrayList<>();
            // A topic created a moment ago may not be in the broker's metadata yet: partitionsFor then answers an
            // empty list (not an error), and a consumer assigned nothing fails its first poll. Ask again until known.
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (partitions.isEmpty() && System.nanoTime() < deadline) {
                for (PartitionInfo info : consumer.partitionsFor(topic, Duration.ofSeconds(30))) {
                    partitions.add(new TopicPartition(topic, info.partition()));
                }
            }
            if (partitions.isEmpty()) {
                throw new IllegalStateException("topic " + topic + " has no partitions after 30 s");
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
        }

        /** Everything read so far, after one more short poll. */
        List<ConsumerRecord<String, byte[]>> records() {
            consumer.poll(Duration.ofMillis(100)).forEach(records::add);
            return List.copyOf(records);
        }

        List<ConsumerRecord<String, byte[]>> records(Predicate<ConsumerRecord<String, byte[]>> filter) {
            return records().stream().filter(filter).toList();
        }

        @Override
        public void close() {
            consumer.close(Duration.ofSeconds(5));
        }
    }
}
