package io.privacyplatform.support.inbox;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.function.BiConsumer;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.agroal.api.AgroalDataSource;
import io.privacyplatform.events.EventCodec;
import io.privacyplatform.events.EventEnvelope;
import io.privacyplatform.events.InvalidEventException;
import io.privacyplatform.support.error.ApiException;
import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * The processed-event log of a consumer. An event's effect and its inbox row commit in one transaction, so a
 * redelivered event (at-least-once delivery, a relay that re-sent after an outage) has no second effect.
 * <p>
 * The consumer id in {@code inbox_event} is always {@code <privacy.service.name>/<topic>}: one rule for every
 * listener, so a listener cannot invent a name and two listeners of one topic in one service share its log.
 * <p>
 * Anything that cannot be decoded propagates to the caller at once, and so does an effect that rejects the event
 * ({@link ApiException}, {@link IllegalArgumentException}); any other failure of the effect is tried again a few times with backoff first. What
 * propagates is moved by SmallRye's {@code failure-strategy=dead-letter-queue} to the topic's {@code .dlq} with the
 * error in its headers, and the consumer carries on with the next record.
 */
@ApplicationScoped
public class EventInbox {

    private static final Logger LOG = Logger.getLogger(EventInbox.class);

    @Inject
    AgroalDataSource dataSource;

    @Inject
    EventCodec codec;

    @ConfigProperty(name = "privacy.service.name")
    String serviceName;

    /** How often an effect that failed for a reason other than the event itself is tried before the DLQ. */
    @ConfigProperty(name = "privacy.inbox.max-attempts", defaultValue = "5")
    int maxAttempts;

    @ConfigProperty(name = "privacy.inbox.retry-backoff", defaultValue = "200ms")
    Duration retryBackoff;

    private static final long MAX_BACKOFF_MILLIS = 5_000;

    /**
     * Decodes the record as {@code type} and, in a new transaction, runs {@code effect} unless this service has
     * processed this event id from the record's topic before.
     *
     * @return whether the effect ran
     */
    public <T> boolean receive(ConsumerRecord<String, byte[]> record, Class<T> type,
            BiConsumer<EventEnvelope, T> effect) {
        String consumer = serviceName + "/" + record.topic();
        EventEnvelope envelope = EventEnvelope.fromRecord(record);
        T payload = codec.decode(envelope, type);
        long backoffMillis = retryBackoff.toMillis();
        for (int attempt = 1;; attempt++) {
            try {
                boolean ran = QuarkusTransaction.requiringNew().call(() -> {
                    if (!firstDelivery(consumer, envelope.id())) {
                        return false;
                    }
                    effect.accept(envelope, payload);
                    return true;
                });
                if (!ran) {
                    LOG.debugf("%s skipped event %s: processed before", consumer, envelope.id());
                }
                return ran;
            } catch (InvalidEventException | ApiException | IllegalArgumentException e) {
                throw e; // the event itself is at fault: trying again cannot help
            } catch (RuntimeException e) {
                // A database that is briefly away or a lost serialisation race: a valid event must not end on
                // the dead-letter topic for that, so it is tried again (nothing of the failed try was committed).
                if (attempt >= maxAttempts) {
                    throw e;
                }
                LOG.warnf("%s could not process event %s (attempt %d of %d: %s); trying again", consumer,
                        envelope.id(), attempt, maxAttempts, e.getClass().getSimpleName());
                pause(backoffMillis);
                backoffMillis = Math.min(backoffMillis * 2, MAX_BACKOFF_MILLIS);
            }
        }
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting to retry an event", e);
        }
    }

    /**
     * Records that {@code consumer} processes {@code eventId} in the current transaction; false when it did so
     * before. A concurrent duplicate waits for the first transaction and then sees it.
     */
    private boolean firstDelivery(String consumer, String eventId) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement insert = connection.prepareStatement(
                        "INSERT INTO inbox_event (consumer, event_id) VALUES (?, ?) ON CONFLICT DO NOTHING")) {
            insert.setString(1, consumer);
            insert.setString(2, eventId);
            return insert.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new IllegalStateException("could not record event " + eventId + " for " + consumer, e);
        }
    }
}
