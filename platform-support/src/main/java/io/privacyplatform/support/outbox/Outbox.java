package io.privacyplatform.support.outbox;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;
import jakarta.transaction.Transactional;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.agroal.api.AgroalDataSource;
import io.privacyplatform.events.EventCodec;
import io.privacyplatform.events.EventEnvelope;
import io.privacyplatform.events.EventType;

/**
 * Writes events into the outbox table inside the caller's transaction, so an event exists exactly when the state
 * change that caused it was committed. Publishing to Kafka is the {@link OutboxRelay}'s job, right after commit.
 * <p>
 * Per-key order is the order in which rows get their id. Two transactions writing events with the same key at the
 * same time must therefore be serialised by the caller (a row lock on the subject's state does it).
 */
@ApplicationScoped
public class Outbox {

    private static final String INSERT = """
            INSERT INTO outbox_event (event_id, topic, record_key, shard, ce_type, ce_source, ce_subject, ce_time,
                                      tenant_id, payload, delete_when_sent, key_id)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""";

    @Inject
    AgroalDataSource dataSource;

    @Inject
    EventCodec codec;

    @Inject
    OutboxConfig config;

    @Inject
    OutboxRelayService relay;

    @Inject
    TransactionSynchronizationRegistry transactions;

    @ConfigProperty(name = "privacy.service.name")
    String serviceName;

    /** Adds an event with a new id; its topic is the one of the payload's {@link EventType}. */
    @Transactional(Transactional.TxType.MANDATORY)
    public EventEnvelope publish(String tenantId, String key, Object payload) {
        return add(codec.envelope(source(), tenantId, key, payload), false);
    }

    /**
     * Adds an event whose payload is sensitive (a sealed verification code, say): the relay deletes its row in the
     * transaction in which it would mark it sent, so it does not rest in the table until the sent-row prune.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public EventEnvelope publishSensitive(String tenantId, String key, Object payload) {
        return add(codec.envelope(source(), tenantId, key, payload), true);
    }

    /** Adds an event with the given id (payloads that carry their own event id). */
    @Transactional(Transactional.TxType.MANDATORY)
    public EventEnvelope publish(String eventId, String tenantId, String key, Object payload) {
        return add(codec.envelope(eventId, source(), tenantId, key, payload), false);
    }

    /**
     * Adds an event with a new id, written on behalf of {@code source} rather than this service: a store's ack
     * keeps the source {@code /stores/<system>} whichever way the store receives commands.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public EventEnvelope publishAs(String source, String tenantId, String key, Object payload) {
        return add(codec.envelope(source, tenantId, key, payload), false);
    }

    /**
     * Deletes the sent rows of one key (a subject's pseudonym) in the caller's transaction, so an erased subject's
     * events do not wait for the sent-row prune; pending rows stay (they still have to go out). Answers how many.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public int forgetSent(String tenantId, String key) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement delete = connection.prepareStatement(
                        "DELETE FROM outbox_event WHERE tenant_id = ? AND record_key = ? AND sent_at IS NOT NULL")) {
            delete.setString(1, tenantId);
            delete.setString(2, key);
            return delete.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("could not delete sent outbox rows", e);
        }
    }

    private String source() {
        return "/services/" + serviceName;
    }

    private EventEnvelope add(EventEnvelope envelope, boolean deleteWhenSent) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement insert = connection.prepareStatement(INSERT)) {
            insert.setString(1, envelope.id());
            insert.setString(2, envelope.eventType().topic());
            insert.setString(3, envelope.key());
            insert.setInt(4, OutboxRelay.shardOf(envelope.key(), config.shards()));
            insert.setString(5, envelope.type());
            insert.setString(6, envelope.source());
            insert.setString(7, envelope.subject());
            insert.setObject(8, envelope.time());
            insert.setString(9, envelope.tenantId());
            insert.setBytes(10, envelope.data());
            insert.setBoolean(11, deleteWhenSent);
            insert.setString(12, envelope.keyId());
            insert.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("could not write outbox event " + envelope.id(), e);
        }
        wakeRelayAfterCommit();
        return envelope;
    }

    private void wakeRelayAfterCommit() {
        if (transactions.getResource(Outbox.class) != null) {
            return;
        }
        transactions.putResource(Outbox.class, Boolean.TRUE);
        transactions.registerInterposedSynchronization(new Synchronization() {
            @Override
            public void beforeCompletion() {
            }

            @Override
            public void afterCompletion(int status) {
                if (status == Status.STATUS_COMMITTED) {
                    relay.wake();
                }
            }
        });
    }
}
