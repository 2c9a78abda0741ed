package io.privacyplatform.support.health;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;

import io.smallrye.health.api.Wellness;

/**
 * Whether the last sample reached a Kafka broker: DOWN while it does not. A wellness check, not a readiness check:
 * a broker outage does not stop a service from answering its API (writes wait in the outbox, reads come from
 * PostgreSQL), and if readiness followed the broker, one outage would take every instance of every service out of
 * the load balancer at once. It shows on {@code /q/health/well} and {@code /q/health}; probes use
 * {@code /q/health/ready}.
 */
@Wellness
@ApplicationScoped
public class KafkaBrokerHealth implements HealthCheck {

    public static final String NAME = "Kafka broker";

    @Inject
    DeliveryLagSampler sampler;

    @Override
    public HealthCheckResponse call() {
        DeliveryLag lag = sampler.latest();
        HealthCheckResponseBuilder response = HealthCheckResponse.named(NAME)
                .status(lag.broker() != BrokerState.UNREACHABLE)
                .withData("broker", lag.broker().wireValue())
                .withData("brokers", lag.brokers());
        if (lag.sampledAt() != null) {
            response.withData("sampledAt", lag.sampledAt().toString());
        }
        return response.build();
    }
}
