package io.privacyplatform.support.health;

import java.util.Map;
import java.util.TreeMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;

import io.privacyplatform.support.health.ConsumerLagReader.GroupTopic;
import io.smallrye.health.api.Wellness;

/**
 * How far delivery is behind, from the last sample: the relay lag ({@code outboxUnsentRows},
 * {@code outboxOldestUnsentSeconds}) and the consumer lag per group and topic ({@code consumerLag.<group>/<topic>}).
 * Always UP: lag is a measurement, and what is too much is the alert rules' decision
 * ({@code deploy/alerts/privacy-platform.rules.yml}). A value that could not be read is {@code unknown}.
 */
@Wellness
@ApplicationScoped
public class DeliveryLagHealth implements HealthCheck {

    public static final String NAME = "Delivery lag";
    private static final String UNKNOWN = "unknown";

    @Inject
    DeliveryLagSampler sampler;

    @Inject
    IncomingChannels channels;

    @Override
    public HealthCheckResponse call() {
        DeliveryLag lag = sampler.latest();
        HealthCheckResponseBuilder response = HealthCheckResponse.named(NAME).up();
        response.withData("sampledAt", lag.sampledAt() == null ? "never" : lag.sampledAt().toString());
        if (lag.outbox() == null) {
            response.withData("outboxUnsentRows", UNKNOWN).withData("outboxOldestUnsentSeconds", UNKNOWN);
        } else {
            response.withData("outboxUnsentRows", lag.outbox().unsentRows())
                    .withData("outboxOldestUnsentSeconds", (long) Math.floor(lag.outbox().oldestUnsentSeconds()));
        }
        Map<String, Long> consumers = new TreeMap<>();
        channels.all().forEach(c -> consumers.put("consumerLag." + c.groupId() + "/" + c.topic(),
                lag.consumerLag().get(new GroupTopic(c.groupId(), c.topic()))));
        consumers.forEach((key, records) -> {
            if (records == null) {
                response.withData(key, UNKNOWN);
            } else {
                response.withData(key, records);
            }
        });
        return response.build();
    }
}
