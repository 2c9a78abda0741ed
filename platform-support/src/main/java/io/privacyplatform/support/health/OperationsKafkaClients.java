package io.privacyplatform.support.health;

import java.util.Map;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.privacyplatform.support.kafka.KafkaClientProperties;

/**
 * The Kafka clients of the operational features (broker check, consumer lag, dead-letter listing and replay), with
 * the connection and security settings every client of the service shares ({@link KafkaClientProperties}).
 */
@ApplicationScoped
public class OperationsKafkaClients {

    @Inject
    KafkaClientProperties kafkaClients;

    @ConfigProperty(name = "privacy.service.name")
    String serviceName;

    private Admin admin;

    /** Connection and security settings only (modifiable), reconnecting quickly after an outage. */
    public Map<String, Object> connection() {
        return kafkaClients.with(Map.of(CommonClientConfigs.RECONNECT_BACKOFF_MAX_MS_CONFIG, 1000));
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
