package io.privacyplatform.support.health;

import java.util.HashMap;
import java.util.Map;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.smallrye.common.annotation.Identifier;

/**
 * The Kafka clients of the operational features (broker check, consumer lag, dead-letter listing and replay). They
 * start from Quarkus' {@code kafka.*} configuration, the same the channels use, so the connection and security
 * settings (security.protocol, SASL, TLS) apply to them too; nothing channel-specific (a group id, a deserializer)
 * is carried over.
 */
@ApplicationScoped
public class OperationsKafkaClients {

    @Inject
    @Identifier("default-kafka-broker")
    Map<String, Object> kafkaConfig;

    @ConfigProperty(name = "privacy.service.name")
    String serviceName;

    private Admin admin;

    /** Connection and security settings only. */
    public Map<String, Object> connection() {
        Map<String, Object> props = new HashMap<>();
        kafkaConfig.forEach((key, value) -> {
            if (key.equals(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG)
                    || key.equals(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG)
                    || key.equals(CommonClientConfigs.CLIENT_DNS_LOOKUP_CONFIG)
                    || key.startsWith("sasl.") || key.startsWith("ssl.")
                    || key.equals("tls-configuration-name")) {
                props.put(key, value);
            }
        });
        props.put(CommonClientConfigs.RECONNECT_BACKOFF_MAX_MS_CONFIG, 1000);
        return props;
    }

    /** One admin client for the service's lifetime (it reconnects by itself after an outage). */
    public synchronized Admin admin() {
        if (admin == null) {
            Map<String, Object> props = connection();
            props.put(AdminClientConfig.CLIENT_ID_CONFIG, serviceName + "-operations");
            admin = Admin.create(props);
        }
        return admin;
    }

    /** A client id of this service for a short-lived client doing {@code purpose}. */
    public String clientId(String purpose) {
        return serviceName + "-" + purpose;
    }

    @PreDestroy
    synchronized void close() {
        if (admin != null) {
            admin.close();
        }
    }
}
