package io.privacyplatform.events.subscriber;

import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The settings of the subscriber's consumer and producer: the kit's defaults, then the user's extra properties,
 * then the settings the kit's guarantees depend on (manual commits, earliest offset, read_committed, acks=all,
 * idempotence, byte serializers), which an extra property may repeat but not contradict.
 */
record ClientSettings(Map<String, Object> consumer, Map<String, Object> producer) {

    static final int DEFAULT_SESSION_TIMEOUT_MS = 10_000;

    static ClientSettings of(SubscriberBuilder<?> builder, String groupId) {
        return new ClientSettings(consumerConfig(builder, groupId), producerConfig(builder, groupId));
    }

    private static Map<String, Object> consumerConfig(SubscriberBuilder<?> builder, String groupId) {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 50);
        // A dead subscriber's partitions move after this, not Kafka's 45 s: under the platform's 30 s ack timeout,
        // so the commands waiting on them are not sent again (the services' consumers use the same value).
        config.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, DEFAULT_SESSION_TIMEOUT_MS);
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, groupId + "-commands");
        config.putAll(builder.clientProperties);
        config.putAll(builder.consumerProperties);
        enforce(config, ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, builder.bootstrapServers);
        enforce(config, ConsumerConfig.GROUP_ID_CONFIG, groupId);
        enforce(config, ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        enforce(config, ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        enforce(config, ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        enforce(config, ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        enforce(config, ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        return Map.copyOf(config);
    }

    private static Map<String, Object> producerConfig(SubscriberBuilder<?> builder, String groupId) {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put(ProducerConfig.CLIENT_ID_CONFIG, groupId + "-acks");
        config.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000);
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
        config.putAll(builder.clientProperties);
        config.putAll(builder.producerProperties);
        enforce(config, ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, builder.bootstrapServers);
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
}
