package io.privacyplatform.support.health;

import java.time.Instant;
import java.util.Map;

import io.privacyplatform.support.health.OutboxBacklogRepository.OutboxBacklog;

/**
 * One sample of how far delivery is behind: the broker's state, the outbox relay's backlog (null when the database
 * could not be read) and, per consumer group and topic of this service, the records not yet processed (a missing
 * entry: unknown, e.g. while the broker is unreachable).
 */
public record DeliveryLag(Instant sampledAt, BrokerState broker, int brokers, OutboxBacklog outbox,
        Map<ConsumerLagReader.GroupTopic, Long> consumerLag) {

    public static DeliveryLag notSampled() {
        return new DeliveryLag(null, BrokerState.NOT_CHECKED, 0, null, Map.of());
    }
}
