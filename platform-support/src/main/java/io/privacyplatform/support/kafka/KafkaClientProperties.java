package io.privacyplatform.support.kafka;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.apache.kafka.clients.CommonClientConfigs;

import io.smallrye.common.annotation.Identifier;

/**
 * The settings every Kafka client of a service shares: bootstrap servers and the security settings
 * ({@code security.protocol}, {@code sasl.*}, {@code ssl.*}, Quarkus' {@code tls-configuration-name}), taken from
 * the {@code kafka.*} configuration, which is also the default configuration of every SmallRye channel (and of its
 * dead-letter producer). The clients the platform builds by hand (the outbox relay's producer, the readiness admin
 * client) take them from here, so one configuration, e.g. {@code KAFKA_SECURITY_PROTOCOL},
 * {@code KAFKA_SASL_MECHANISM} and {@code KAFKA_SASL_JAAS_CONFIG} in the environment, secures every client of the
 * service alike.
 */
@ApplicationScoped
public class KafkaClientProperties {

    private final Map<String, Object> common;

    /**
     * @param kafkaConfig Quarkus' view of the {@code kafka.*} configuration (keys without the prefix; environment
     *            variables such as {@code KAFKA_SASL_JAAS_CONFIG} become {@code sasl.jaas.config})
     */
    @Inject
    public KafkaClientProperties(@Identifier("default-kafka-broker") Map<String, Object> kafkaConfig) {
        this.common = common(kafkaConfig);
    }

    /** The connection and security settings, for an admin client, a producer or a consumer; unmodifiable. */
    public Map<String, Object> common() {
        return common;
    }

    /** A new, modifiable map: the common settings and then the client's own. */
    public Map<String, Object> with(Map<String, ?> clientSpecific) {
        Map<String, Object> props = new HashMap<>(common);
        props.putAll(clientSpecific);
        return props;
    }

    /**
     * The settings of {@code kafkaConfig} that concern connecting to the broker, nothing channel-specific
     * (deserializers, group ids, offsets reset stay with the channels).
     */
    public static Map<String, Object> common(Map<String, ?> kafkaConfig) {
        Map<String, Object> common = new TreeMap<>();
        kafkaConfig.forEach((key, value) -> {
            if (isConnectionSetting(key) && value != null && !value.toString().isBlank()) {
                common.put(key, value);
            }
        });
        if (!common.containsKey(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG)) {
            throw new IllegalStateException("kafka.bootstrap.servers is not configured");
        }
        return Map.copyOf(common);
    }

    private static boolean isConnectionSetting(String key) {
        // tls-configuration-name: Quarkus' TLS registry, read by the ssl.engine.factory.class Quarkus sets with it.
        return key.equals(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG)
                || key.equals("tls-configuration-name")
                || key.equals(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG)
                || key.startsWith("sasl.")
                || key.startsWith("ssl.");
    }
}
