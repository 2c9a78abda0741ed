package io.privacyplatform.support.inbox;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.function.BiConsumer;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jboss.logging.Logger;

import io.agroal.api.AgroalDataSource;
import io.privacyplatform.events.EventCodec;
import io.privacyplatform.events.EventEnvelope;
import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * The processed-event log of a consumer. An event's effect and its inbox row commit in one transaction, so a
 * redelivered event (at-least-once delivery, a relay that re-sent after an outage) has no second effect.
 * <p>
 * Anything that cannot be decoded, and any effect that throws, propagates to the caller: SmallRye's
 * {@code failure-strategy=dead-letter-queue} then moves the record to the topic's {@code .dlq} with the error in its
 * headers, and the consumer carries on with the next record.
 */
@ApplicationScoped
public class EventInbox {

    private static final Logger LOG = Logger.getLogger(EventInbox.class);

    @Inject
    AgroalDataSource dataSource;

    @Inject
    EventCodec codec;

    /**
     * Decodes the record as {@code type} and, in a new transaction, runs {@code effect} unless {@code consumer}
     * has processed this event id before.
     *
     * @return whether the effect ran
     */
    public <T> boolean receive(String consumer, ConsumerRecord<String, byte[]> record, Class<T> type,
            BiConsumer<EventEnvelope, T> effect) {
        EventEnvelope envelope = EventEnvelope.fromRecord(record);
        T payload = codec.decode(envelope, type);
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
    }

    /**
     * Records that {@code consumer} processes {@code eventId} in the current transaction; false when it did so
     * before. A concurrent duplicate waits for the first transaction and then sees it.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean firstDelivery(String consumer, String eventId) {
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
