package io.privacyplatform.support.health;

import java.util.Map;
import java.util.concurrent.TimeUnit;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import io.privacyplatform.support.kafka.KafkaClientProperties;

/**
 * Ready only while a broker answers: a service that cannot publish or consume should not get traffic. The
 * connector's own channel checks stay green through a broker outage, because they report on the consumer's state
 * rather than ask the broker.
 */
@Readiness
@ApplicationScoped
public class KafkaBrokerReadiness implements HealthCheck {

    @Inject
    KafkaClientProperties kafkaClients;

    private Admin admin;

    @Override
    public HealthCheckResponse call() {
        try {
            int brokers = admin().describeCluster(new DescribeClusterOptions().timeoutMs(2000)).nodes()
                    .get(3, TimeUnit.SECONDS).size();
            return HealthCheckResponse.named("Kafka broker").status(brokers > 0).withData("brokers", brokers)
                    .build();
        } catch (Exception e) {
            return HealthCheckResponse.named("Kafka broker").down()
                    .withData("error", e.getClass().getSimpleName()).build();
        }
    }

    private synchronized Admin admin() {
        if (admin == null) {
            admin = Admin.create(kafkaClients.with(Map.of(AdminClientConfig.CLIENT_ID_CONFIG, "readiness",
                    AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 1000)));
        }
        return admin;
    }

    @PreDestroy
    synchronized void close() {
        if (admin != null) {
            admin.close();
        }
    }
}
