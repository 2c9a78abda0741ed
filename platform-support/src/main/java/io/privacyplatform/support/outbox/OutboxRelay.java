package io.privacyplatform.support.outbox;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.IntStream;

import javax.sql.DataSource;

import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
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
 * <p>
 * <b>A bad row does not stall its shard.</b> Every record of a batch is sent with a callback, so when the batch fails
 * the relay knows which row Kafka refused and why. A refusal that is the row's own fault ({@link #rejectsTheRow}: its
 * topic does not exist or is invalid, the record is too large) counts against that row ({@code rejected_attempts},
 * {@code last_error}); after {@code privacy.outbox.max-attempts} of them the row is <b>set aside</b>
 * ({@code set_aside_at}), logged at ERROR, reported to the set-aside observer (metrics) and no longer read, and the
 * rows behind it are published at once. Anything else (the broker away, a timeout without an answer, a fenced or
 * unauthorised producer) is an outage, not a bad row: nothing is counted against a row and the batch is retried
 * after the backoff for as long as it takes.
 * <p>
 * <b>Order around a set-aside row.</b> Later rows of the same key are not held back: holding them would stall every
 * later event of that subject (an erasure's commands among them) behind a row that no retry can fix. The set-aside
 * row is named instead (ERROR log with its event id, topic and key; the row itself with its error), and if an admin
 * re-sends it, it arrives after them, with its original {@code ce_id} and {@code ce_time}.
 */
public final class OutboxRelay {

    /** First half of the advisory-lock key; the second half is the shard. */
    static final int LOCK_NAMESPACE = 0x6f627800;

    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);
    /**
     * Takes the transaction-scoped advisory lock of every shard it can (the CTE is evaluated once, so each lock is
     * tried once) and reads the oldest pending rows of the locked shards: ordered by id, so each shard's rows are
     * a prefix of its pending rows.
     */
    private static final String SELECT_PENDING = """
            WITH locked AS (
                SELECT s FROM unnest(?::int[]) AS s WHERE pg_try_advisory_xact_lock(?, s)
            )
            SELECT id, event_id, topic, record_key, shard, ce_type, ce_source, ce_subject, ce_time, tenant_id,
                   payload, delete_when_sent, key_id
              FROM outbox_event
             WHERE shard IN (SELECT s FROM locked) AND sent_at IS NULL AND set_aside_at IS NULL
             ORDER BY id
             LIMIT ?
               FOR UPDATE OF outbox_event SKIP LOCKED""";

    private final DataSource dataSource;
    private final Supplier<Producer<String, byte[]>> producers;
    private final int shards;
    private final int batchSize;
    private final int maxAttempts;
    private final Consumer<SetAside> setAsideObserver;
    private final EventSignature signature;
    private Producer<String, byte[]> producer;

    /**
     * @param producers makes a transactional producer, always with the same {@code transactional.id} (one per relay
     *        instance); called again after a failure that leaves the previous one unusable
     * @param maxAttempts how many rejections of a row for a fault of its own set it aside
     * @param setAsideObserver told of every row set aside, after its transaction committed
     * @param signature signs every record published (consumers that must know the writer verify it)
     */
    public OutboxRelay(DataSource dataSource, Supplier<Producer<String, byte[]>> producers, int shards,
            int batchSize, int maxAttempts, Consumer<SetAside> setAsideObserver, EventSignature signature) {
        this.dataSource = dataSource;
        this.producers = producers;
        this.shards = shards;
        this.batchSize = batchSize;
        this.maxAttempts = maxAttempts;
        this.setAsideObserver = setAsideObserver;
        this.signature = Objects.requireNonNull(signature, "signature");
    }

    public static int shardOf(String key, int shards) {
        return key == null ? 0 : Math.floorMod(key.hashCode(), shards);
    }

    /**
     * Publishes what is pending in every shard this relay can lock right now.
     * <p>
     * A pass locks every free shard in one statement and publishes up to {@code batchSize} of their rows, in id
     * order, as ONE Kafka transaction, marked sent in one database transaction: a Kafka commit (a round trip to the
     * transaction coordinator plus markers on every partition) is paid once per pass, not once per shard. Per-key
     * order holds as before: a key stays in one shard, a shard is locked by one relay at a time, and the rows taken
     * are the oldest pending ones of each locked shard. A pass that filled its batch (or set a row aside) is
     * followed by the next at once.
     * <p>
     * A row Kafka refused for a fault of its own (not yet set aside) stops only its shard for the rest of this call:
     * the other shards are published in the following pass, as when each shard was published on its own.
     *
     * @return the number of rows published
     * @throws OutboxRelayException when rows could not be published (the broker is down, say); the shards not
     *         concerned by a rejected row were still tried
     */
    public int relayOnce() throws SQLException {
        int published = 0;
        OutboxRelayException failure = null;
        Set<Integer> stopped = new HashSet<>();
        while (stopped.size() < shards) {
            Batch batch;
            try {
                batch = relayBatch(stopped);
            } catch (ShardRejectedException e) {
                stopped.add(e.shard());
                failure = e;
                continue;
            }
            published += batch.published();
            if (batch.published() < batchSize && batch.setAside() == null) {
                break;
            }
        }
        if (failure != null) {
            throw failure;
        }
        return published;
    }

    private Batch relayBatch(Set<Integer> stopped) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                Batch batch = relayBatch(connection, stopped);
                connection.commit();
                if (batch.setAside() != null) {
                    setAsideObserver.accept(batch.setAside());
                }
                return batch;
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(true);
            }
        }
    }

    private Batch relayBatch(Connection connection, Set<Integer> stopped) throws SQLException {
        List<Pending> rows = lockAndReadPending(connection, stopped);
        if (rows.isEmpty()) {
            return Batch.NOTHING;
        }
        try {
            publish(rows);
        } catch (RowRejectedException e) {
            Pending row = e.row();
            String error = describe(e.getCause());
            if (reject(connection, row.id(), error)) {
                // Committed by the caller; the rows behind it go out in the next batch, read at once.
                LOG.errorf("outbox row %d (event %s, topic %s, key %s) SET ASIDE after %d rejections: %s;"
                        + " the later rows of its shard, and of its key, are published without it", row.id(),
                        row.envelope().id(), row.topic(), row.envelope().key(), maxAttempts, error);
                return new Batch(0, new SetAside(row.id(), row.envelope().id(), row.topic(), error));
            }
            connection.commit();
            throw new ShardRejectedException(row.shard(), "shard " + row.shard() + ": row " + row.id() + " (event "
                    + row.envelope().id() + ") rejected by Kafka: " + error + "; " + rows.size()
                    + " rows not published", e);
        } catch (KafkaException e) {
            // An outage, not a bad row: nothing counts against a row; the first row notes the error for diagnosis.
            markFailed(connection, rows.get(0).id(), describe(e));
            connection.commit();
            throw new OutboxRelayException(rows.size() + " rows not published: " + describe(e), e);
        }
        List<Long> sent = new ArrayList<>(rows.size());
        List<Long> sensitive = new ArrayList<>();
        rows.forEach(row -> (row.deleteWhenSent() ? sensitive : sent).add(row.id()));
        markSent(connection, sent);
        deleteSent(connection, sensitive);
        return new Batch(rows.size(), null);
    }

    /**
     * One Kafka transaction per batch: read_committed consumers see all of a batch or none of it. Without it, a
     * batch that straddles an outage can lose an early record to a timeout while a later one of the same key
     * gets through, and the retry would then deliver them out of order.
     */
    private void publish(List<Pending> rows) {
        Producer<String, byte[]> producer = producer();
        // What Kafka answered for each row that failed: the first row it refused for a fault of the row's own is the
        // bad one (a failed record puts the transaction in error, so later rows fail for that reason only).
        AtomicReferenceArray<Exception> failures = new AtomicReferenceArray<>(rows.size());
        try {
            producer.beginTransaction();
            for (int i = 0; i < rows.size(); i++) {
                Pending row = rows.get(i);
                int index = i;
                producer.send(signed(row), (metadata, failure) -> {
                    if (failure != null) {
                        failures.compareAndSet(index, null, failure);
                    }
                });
            }
            producer.commitTransaction();
        } catch (RuntimeException e) {
            RowRejectedException rejected = null;
            for (int i = 0; i < rows.size() && rejected == null; i++) {
                Exception failure = failures.get(i);
                if (failure != null && rejectsTheRow(failure)) {
                    rejected = new RowRejectedException(rows.get(i), failure);
                }
            }
            // Whatever state the transaction is in (failed send, commit timed out, fenced), start over: the next
            // producer's initTransactions() under the same transactional id aborts what this one left open.
            producer.close(Duration.ZERO);
            this.producer = null;
            if (rejected != null) {
                throw rejected;
            }
            throw e instanceof KafkaException kafka ? kafka : new KafkaException(e);
        }
    }

    /**
     * Whether Kafka refused a record for a fault of the record's own, which no retry can cure. An unknown topic shows
     * as a metadata timeout whose cause is the broker's answer {@code UNKNOWN_TOPIC_OR_PARTITION}; a timeout without
     * an answer (the broker away) is an outage, and so is an authorisation failure (an ACL fix lets every row of the
     * topic through, in order).
     */
    static boolean rejectsTheRow(Throwable failure) {
        if (failure instanceof TimeoutException) {
            return failure.getCause() instanceof UnknownTopicOrPartitionException
                    || failure.getCause() instanceof InvalidTopicException;
        }
        return failure instanceof RecordTooLargeException || failure instanceof RecordBatchTooLargeException
                || failure instanceof InvalidTopicException || failure instanceof UnknownTopicOrPartitionException
                || failure instanceof InvalidRecordException || failure instanceof SerializationException;
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

    private List<Pending> lockAndReadPending(Connection connection, Set<Integer> stopped) throws SQLException {
        List<Pending> rows = new ArrayList<>();
        Integer[] candidates = IntStream.range(0, shards).filter(shard -> !stopped.contains(shard)).boxed()
                .toArray(Integer[]::new);
        try (PreparedStatement statement = connection.prepareStatement(SELECT_PENDING)) {
            statement.setArray(1, connection.createArrayOf("integer", candidates));
            statement.setInt(2, LOCK_NAMESPACE);
            statement.setInt(3, batchSize);
            try (ResultSet r = statement.executeQuery()) {
                while (r.next()) {
                    EventEnvelope envelope = new EventEnvelope(r.getString("event_id"), r.getString("ce_source"),
                            r.getString("ce_type"),
                            r.getObject("ce_time", java.time.OffsetDateTime.class).withOffsetSameInstant(
                                    ZoneOffset.UTC),
                            r.getString("ce_subject"), r.getString("tenant_id"), r.getString("record_key"),
                            r.getBytes("payload"), r.getString("key_id"));
                    rows.add(new Pending(r.getLong("id"), r.getInt("shard"), r.getString("topic"), envelope,
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

    /**
     * Counts a rejection against the row and sets it aside once it reached {@link #maxAttempts}; answers whether it
     * was set aside.
     */
    private boolean reject(Connection connection, long id, String error) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("""
                UPDATE outbox_event
                   SET attempts = attempts + 1, rejected_attempts = rejected_attempts + 1, last_error = ?,
                       set_aside_at = CASE WHEN rejected_attempts + 1 >= ? THEN now() END
                 WHERE id = ?
                RETURNING set_aside_at IS NOT NULL""")) {
            statement.setString(1, truncate(error));
            statement.setInt(2, maxAttempts);
            statement.setLong(3, id);
            try (ResultSet result = statement.executeQuery()) {
                return result.next() && result.getBoolean(1);
            }
        }
    }

    private static String truncate(String error) {
        return error.length() > 500 ? error.substring(0, 500) : error;
    }

    private static void markFailed(Connection connection, long id, String error) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "UPDATE outbox_event SET attempts = attempts + 1, last_error = ? WHERE id = ?")) {
            statement.setString(1, truncate(error));
            statement.setLong(2, id);
            statement.executeUpdate();
        }
    }

    private static String describe(Throwable e) {
        String text = e.getClass().getSimpleName() + ": " + e.getMessage();
        return e.getCause() == null || e.getCause() == e ? text
                : text + " (" + e.getCause().getClass().getSimpleName() + ": " + e.getCause().getMessage() + ")";
    }

    private record Pending(long id, int shard, String topic, EventEnvelope envelope, boolean deleteWhenSent) {
    }

    /** What one batch did: rows published, or the row it set aside (then the shard is read again at once). */
    private record Batch(int published, SetAside setAside) {
        static final Batch NOTHING = new Batch(0, null);
    }

    /** A row set aside: no longer published until an admin re-sends it (see platform-support's README). */
    public record SetAside(long id, String eventId, String topic, String error) {
    }

    /** Kafka refused this row for a fault of its own. */
    private static final class RowRejectedException extends KafkaException {
        private final transient Pending row;

        RowRejectedException(Pending row, Throwable cause) {
            super("row " + row.id() + " rejected", cause);
            this.row = row;
        }

        Pending row() {
            return row;
        }
    }

    /** Rows could not be published now; they stay pending. */
    public static class OutboxRelayException extends RuntimeException {
        OutboxRelayException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** Kafka refused a row of this shard for a fault of its own; the shard waits, the others go on. */
    private static final class ShardRejectedException extends OutboxRelayException {
        private final int shard;

        ShardRejectedException(int shard, String message, Throwable cause) {
            super(message, cause);
            this.shard = shard;
        }

        int shard() {
            return shard;
        }
    }
}
