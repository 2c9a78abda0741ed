package io.privacyplatform.support.health;

import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.jboss.logging.Logger;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.privacyplatform.support.health.ConsumerLagReader.GroupTopic;
import io.privacyplatform.support.health.OutboxBacklogRepository.OutboxBacklog;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;

/**
 * Samples how far delivery is behind on a schedule ({@code privacy.health.sample-every}, default 15 s), so that
 * health requests and Prometheus scrapes read a cached value instead of querying the database and the broker each
 * time. Publishes the sample as gauges:
 * <ul>
 * <li>{@code privacy_outbox_unsent_rows}, {@code privacy_outbox_oldest_unsent_seconds}: the relay lag;</li>
 * <li>{@code privacy_consumer_lag_records{group,topic}}: records not yet processed per channel;</li>
 * <li>{@code privacy_kafka_broker_reachable}: 1 or 0.</li>
 * </ul>
 * A value that could not be read (database or broker away) is NaN, never a stale or invented number.
 */
@ApplicationScoped
public class DeliveryLagSampler {

    private static final Logger LOG = Logger.getLogger(DeliveryLagSampler.class);

    @Inject
    OutboxBacklogRepository outbox;

    @Inject
    ConsumerLagReader consumerLag;

    @Inject
    IncomingChannels channels;

    @Inject
    OperationsKafkaClients clients;

    @Inject
    MeterRegistry registry;

    private volatile DeliveryLag latest = DeliveryLag.notSampled();

    void registerGauges(@Observes StartupEvent event) {
        Gauge.builder("privacy.outbox.unsent.rows", this, s -> s.outboxValue(OutboxBacklog::unsentRows))
                .description("Outbox rows the relay has not published yet").register(registry);
        Gauge.builder("privacy.outbox.oldest.unsent", this, s -> s.outboxValue(OutboxBacklog::oldestUnsentSeconds))
                .baseUnit("seconds").description("Age of the oldest outbox row not published yet")
                .register(registry);
        Gauge.builder("privacy.kafka.broker.reachable", this,
                s -> switch (s.latest.broker()) {
                    case REACHABLE -> 1;
                    case UNREACHABLE -> 0;
                    case NOT_CHECKED -> Double.NaN;
                }).description("Whether the last sample reached a Kafka broker").register(registry);
        Set<GroupTopic> groupTopics = new HashSet<>();
        channels.all().forEach(c -> groupTopics.add(new GroupTopic(c.groupId(), c.topic())));
        for (GroupTopic groupTopic : groupTopics) {
            Gauge.builder("privacy.consumer.lag.records", this, s -> s.consumerLagValue(groupTopic))
                    .tag("group", groupTopic.group()).tag("topic", groupTopic.topic())
                    .description("Records of the topic the consumer group has not processed yet").register(registry);
        }
    }

    @Scheduled(every = "${privacy.health.sample-every:15s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void sample() {
        latest = takeSample();
    }

    /** The last sample; {@link DeliveryLag#notSampled()} before the first. */
    public DeliveryLag latest() {
        return latest;
    }

    DeliveryLag takeSample() {
        Instant now = Instant.now();
        OutboxBacklog backlog = null;
        try {
            backlog = outbox.backlog();
        } catch (RuntimeException e) {
            LOG.warnf("could not sample the outbox backlog: %s", e.getMessage());
        }
        int brokers;
        try {
            brokers = clients.admin().describeCluster(new DescribeClusterOptions().timeoutMs(2000)).nodes()
                    .get(3, TimeUnit.SECONDS).size();
        } catch (Exception e) {
            // Unreachable is an answer, not a failure of the sample: the outbox keeps absorbing writes meanwhile.
            return new DeliveryLag(now, BrokerState.UNREACHABLE, 0, backlog, Map.of());
        }
        Map<GroupTopic, Long> lags = Map.of();
        try {
            lags = consumerLag.read();
        } catch (Exception e) {
            LOG.warnf("could not sample the consumer lag: %s", e.toString());
        }
        return new DeliveryLag(now, brokers > 0 ? BrokerState.REACHABLE : BrokerState.UNREACHABLE, brokers,
                backlog, lags);
    }

    private double outboxValue(java.util.function.ToDoubleFunction<OutboxBacklog> value) {
        OutboxBacklog backlog = latest.outbox();
        return backlog == null ? Double.NaN : value.applyAsDouble(backlog);
    }

    private double consumerLagValue(GroupTopic groupTopic) {
        Long lag = latest.consumerLag().get(groupTopic);
        return lag == null ? Double.NaN : lag;
    }
}
