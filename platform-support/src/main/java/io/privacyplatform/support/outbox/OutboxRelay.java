package io.privacyplatform.support.outbox;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

import javax.sql.DataSource;

import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.jboss.logging.Logger;

import io.privacyplatform.events.EventEnvelope;
import io.privacyplatform.events.EventSignature;

/**
 * Publishes committed outbox rows to Kafka, in id order per shard, and marks them sent.
 * <p>
 * Rows are spread over shards by key. A relay works on a shard only while it holds that shard's transaction-scoped
 * advisory lock, so with several service instances each shard has one publisher at a time (per-key order holds)
 * while different shards are published in parallel. A row is marked sent only once Kafka acknowledged it (acks=all),
 * in the same transaction that held the lock: a crash or an outage leaves it pending and it is sent again later
 * (at least once; consumers deduplicate by event id). A batch goes out as one Kafka transaction, so a failure
 * anywhere in it publishes none of it to read_committed consumers and no later row of a key overtakes an earlier one.
 */
public final class OutboxRelay {

    /** First half of the advisory-lock key; the second half is the shard. */
    static final int LOCK_NAMESPACE = 0x6f627800;

    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);
    private static final String SELECT_PENDING = """
            SELECT id, event_id, topic, record_key, ce_type, ce_source, ce_subject, ce_time, tenant_id, payload,
                   delete_when_sent
              FROM outbox_event
             WHERE shard = ? AND sent_at IS NULL
             ORDER BY id
             LIMIT ?
               FOR UPDATE SKIP LOCKED""";

    private final DataSource dataSource;
    private final Supplier<Producer<String, byte[]>> producers;
    private final int shards;
    private final int batchSize;
    private final EventSignature signature;
    private Producer<String, byte[]> producer;

    /**
     * @param producers makes a transactional producer, always with the same {@code transactional.id} (one per relay
     *        instance); called again after a failure that leaves the previous one unusable
     * @param signature signs every record published (consumers that must know the writer verify it)
     */
    public OutboxRelay(DataSource dataSource, Supplier<Producer<String, byte[]>> producers, int shards,
            int batchSize, EventSignature signature) {
        this.dataSource = dataSource;
        this.producers = producers;
        this.shards = shards;
        this.batchSize = batchSize;
        this.signature = Objects.requireNonNull(signature, "signature");
    }

    public static int shardOf(String key, int shards) {
        return key == null ? 0 : Math.floorMod(key.hashCode(), shards);
    }

    /**
     * Publishes what is pending in every shard this relay can lock right now.
     *
     * @return the number of rows published
     * @throws OutboxRelayException when a shard could not be published (the broker is down, say); other shards were
     *         still tried
     */
    public int relayOnce() throws SQLException {
        int published = 0;
        OutboxRelayException failure = null;
        for (int shard = 0; shard < shards; shard++) {
            try {
                int n;
                do {
                    n = relayBatch(shard);
                    published += n;
                } while (n == batchSize);
            } catch (OutboxRelayException e) {
                failure = e;
            }
        }
        if (failure != null) {
            throw failure;
        }
        return published;
    }

    private int relayBatch(int shard) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                int n = relayBatch(connection, shard);
                connection.commit();
                return n;
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(true);
            }
        }
    }

    private int relayBatch(Connection connection, int shard) throws SQLException {
        if (!tryLock(connection, shard)) {
            return 0;
        }
        List<Pending> rows = pending(connection, shard);
        if (rows.isEmpty()) {
            return 0;
        }
        try {
            publish(rows);
        } catch (KafkaException e) {
            markFailed(connection, rows.get(0).id(), describe(e));
            connection.commit();
            throw new OutboxRelayException("shard " + shard + ": " + rows.size() + " rows not published: "
                    + describe(e), e);
        }
        List<Long> sent = new ArrayList<>(rows.size());
        List<Long> sensitive = new ArrayList<>();
        rows.forEach(row -> (row.deleteWhenSent() ? sensitive : sent).add(row.id()));
        markSent(connection, sent);
        deleteSent(connection, sensitive);
        return rows.size();
    }

    /**
     * One Kafka transaction per batch: read_committed consumers see all of a batch or none of it. Without it, a
     * batch that straddles an outage can lose an early record to a timeout while a later one of the same key
     * gets through, and the retry would then deliver them out of order.
     */
    private void publish(List<Pending> rows) {
        Producer<String, byte[]> producer = producer();
        try {
            producer.beginTransaction();
            for (Pending row : rows) {
                producer.send(signed(row));
            }
            producer.commitTransaction();
        } catch (RuntimeException e) {
            // Whatever state the transaction is in (failed send, commit timed out, fenced), start over: the next
            // producer's initTransactions() under the same transactional id aborts what this one left open.
            producer.close(Duration.ZERO);
            this.producer = null;
            throw e instanceof KafkaException kafka ? kafka : new KafkaException(e);
        }
    }

    /** The row as a record, signed at publish time: the key stays in memory, never in the outbox table. */
    private ProducerRecord<String, byte[]> signed(Pending row) {
        ProducerRecord<String, byte[]> record = row.envelope().toRecord(row.topic());
        signature.signInto(row.envelope(), record.headers());
        return record;
    }

    private Producer<String, byte[]> producer() {
        if (producer == null) {
            Producer<String, byte[]> created = producers.get();
            try {
                created.initTransactions();
            } catch (KafkaException e) {
                created.close(Duration.ZERO);
                throw e;
            }
            producer = created;
        }
        return producer;
    }

    /** Closes the producer this relay made. */
    public void close() {
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
            producer = null;
        }
    }

    private static boolean tryLock(Connection connection, int shard) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("SELECT pg_try_advisory_xact_lock(?, ?)")) {
            statement.setInt(1, LOCK_NAMESPACE);
            statement.setInt(2, shard);
            try (ResultSet result = statement.executeQuery()) {
                result.next();
                return result.getBoolean(1);
            }
        }
    }

    private List<Pending> pending(Connection connection, int shard) throws SQLException {
        List<Pending> rows = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement(SELECT_PENDING)) {
            statement.setInt(1, shard);
            statement.setInt(2, batchSize);
            try (ResultSet r = statement.executeQuery()) {
                while (r.next()) {
                    EventEnvelope envelope = new EventEnvelope(r.getString("event_id"), r.getString("ce_source"),
                            r.getString("ce_type"),
                            r.getObject("ce_time", java.time.OffsetDateTime.class).withOffsetSameInstant(
                                    ZoneOffset.UTC),
                            r.getString("ce_subject"), r.getString("tenant_id"), r.getString("record_key"),
                            r.getBytes("payload"));
                    rows.add(new Pending(r.getLong("id"), r.getString("topic"), envelope,
                            r.getBoolean("delete_when_sent")));
                }
            }
        }
        return rows;
    }

    private static void markSent(Connection connection, List<Long> ids) throws SQLException {
        if (ids.isEmpty()) {
            return;
        }
        try (PreparedStatement statement = connection.prepareStatement(
                "UPDATE outbox_event SET sent_at = now(), attempts = attempts + 1, last_error = NULL"
                        + " WHERE id = ANY (?)")) {
            Array array = connection.createArrayOf("bigint", ids.toArray());
            statement.setArray(1, array);
            statement.executeUpdate();
        }
    }

    /** Sensitive rows go as soon as Kafka has them: in the transaction that would otherwise mark them sent. */
    private static void deleteSent(Connection connection, List<Long> ids) throws SQLException {
        if (ids.isEmpty()) {
            return;
        }
        try (PreparedStatement statement = connection.prepareStatement(
                "DELETE FROM outbox_event WHERE id = ANY (?)")) {
            statement.setArray(1, connection.createArrayOf("bigint", ids.toArray()));
            statement.executeUpdate();
        }
    }

    private static void markFailed(Connection connection, long id, String error) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "UPDATE outbox_event SET attempts = attempts + 1, last_error = ? WHERE id = ?")) {
            statement.setString(1, error.length() > 500 ? error.substring(0, 500) : error);
            statement.setLong(2, id);
            statement.executeUpdate();
        }
    }

    private static String describe(Throwable e) {
        return e.getClass().getSimpleName() + ": " + e.getMessage();
    }

    private record Pending(long id, String topic, EventEnvelope envelope, boolean deleteWhenSent) {
    }

    /** A shard could not be published now; its rows stay pending. */
    public static final class OutboxRelayException extends RuntimeException {
        OutboxRelayException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
