package io.privacyplatform.support.outbox;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.agroal.api.AgroalDataSource;
import io.privacyplatform.events.TopicAccess;
import io.privacyplatform.support.kafka.KafkaClientProperties;
import io.privacyplatform.support.security.ServiceSigningKey;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/**
 * Runs this instance's {@link OutboxRelay} on a thread of its own: woken right after a commit that wrote outbox
 * rows, and otherwise polling, so rows of other instances and rows left by an outage go out too.
 */
@ApplicationScoped
public class OutboxRelayService {

    private static final Logger LOG = Logger.getLogger(OutboxRelayService.class);

    @Inject
    AgroalDataSource dataSource;

    @Inject
    OutboxConfig config;

    @Inject
    OutboxSetAsideMetrics setAsideMetrics;

    @Inject
    ServiceSigningKey signingKey;

    @Inject
    KafkaClientProperties kafkaClients;

    @ConfigProperty(name = "privacy.service.name")
    String serviceName;

    private final Semaphore wakeups = new Semaphore(0);
    private volatile boolean running;
    private volatile Instant lastSuccess;
    private volatile String lastError;
    private Thread thread;
    private OutboxRelay relay;

    void start(@Observes StartupEvent event) {
        if (!config.relayEnabled()) {
            LOG.info("outbox relay disabled in this instance");
            return;
        }
        // A transactional id of its own per instance: several instances relay at once, and a restart gets a new
        // one (the advisory locks, not Kafka's fencing, keep two relays off the same rows). The prefix is the one
        // the service's principal may use (TopicAccess).
        String transactionalId = TopicAccess.relayTransactionalIdPrefixOf(serviceName) + UUID.randomUUID();
        relay = new OutboxRelay(dataSource, () -> newProducer(kafkaClients.common(), config, transactionalId),
                config.shards(), config.batchSize(), config.maxAttempts(), setAsideMetrics::rowSetAside,
                signingKey.signature());
        running = true;
        thread = new Thread(this::loop, "outbox-relay");
        thread.setDaemon(true);
        thread.start();
    }

    void stop(@Observes ShutdownEvent event) {
        running = false;
        if (thread != null) {
            wakeups.release();
            try {
                thread.join(TimeUnit.SECONDS.toMillis(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (relay != null) {
            relay.close();
        }
    }

    /** Called after a commit that wrote outbox rows. */
    public void wake() {
        wakeups.release();
    }

    /** When the relay last completed a pass without error; null before the first. */
    public Instant lastSuccess() {
        return lastSuccess;
    }

    public String lastError() {
        return lastError;
    }

    /**
     * A transactional producer as the relay needs it, on the connection and security settings of
     * {@code clientProperties} ({@link KafkaClientProperties#common()}).
     */
    public static Producer<String, byte[]> newProducer(Map<String, Object> clientProperties, OutboxConfig config,
            String transactionalId) {
        Map<String, Object> props = new HashMap<>(clientProperties);
        props.put(ProducerConfig.CLIENT_ID_CONFIG, transactionalId);
        props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        // acks=all + idempotence: a row is marked sent only when it is durably in Kafka, retries do not
        // duplicate or reorder within a partition.
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5);
        props.put(ProducerConfig.LINGER_MS_CONFIG, 2);
        // Fail a batch within the relay's send timeout rather than Kafka's two-minute default, so an outage
        // leaves rows pending (and retried in order) instead of blocking the relay.
        int timeout = (int) config.sendTimeout().toMillis();
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, Math.max(1000, timeout / 3));
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, timeout);
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, Math.max(1000, timeout / 3));
        props.put(ProducerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 1000);
        // A transaction left open by an instance that died blocks read_committed consumers of its partitions until
        // the broker aborts it; keep that short (it must exceed the send timeout).
        props.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, Math.max(10_000, 2 * timeout));
        return new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
    }

    private void loop() {
        while (running) {
            int published = 0;
            setAsideMetrics.refreshIfStale();
            try {
                published = relay.relayOnce();
                lastSuccess = Instant.now();
                lastError = null;
            } catch (Exception e) {
                if (!e.getClass().getSimpleName().equals(String.valueOf(lastError))) {
                    LOG.warnf("outbox relay could not publish, will retry: %s", e.getMessage());
                }
                lastError = e.getClass().getSimpleName();
                pause(config.retryBackoff());
                continue;
            }
            if (published == 0) {
                pause(config.pollInterval());
            }
        }
    }

    private void pause(Duration duration) {
        try {
            if (wakeups.tryAcquire(duration.toMillis(), TimeUnit.MILLISECONDS)) {
                wakeups.drainPermits();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }
}
