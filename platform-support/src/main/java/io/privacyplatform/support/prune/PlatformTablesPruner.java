package io.privacyplatform.support.prune;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.agroal.api.AgroalDataSource;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.Scheduled.ConcurrentExecution;

/**
 * Deletes what the platform tables of every service accumulate, each after its retention ({@link PruneConfig}):
 * processed event ids, idempotency keys with their kept responses, sent outbox rows and a store's remembered acks
 * ({@link PrunedTable}). Runs every {@code privacy.prune.every} (default 1 h; {@code off} disables it). Rows go in
 * batches of {@code privacy.prune.batch-size}, each its own short transaction, so a backlog never holds long locks.
 * Several instances may prune at once: they delete the same rows, which is harmless.
 * <p>
 * The cut-offs come from the service clock (tests move it); the rows are stamped by the database, whose clock the
 * service's follows to well within any of these retentions.
 */
@ApplicationScoped
public class PlatformTablesPruner {

    public static final String JOB = "platform-prune";

    private static final Logger LOG = Logger.getLogger(PlatformTablesPruner.class);

    @Inject
    PruneConfig config;

    @Inject
    Clock clock;

    @Inject
    AgroalDataSource dataSource;

    @Scheduled(identity = JOB, every = "${privacy.prune.every:1h}", concurrentExecution = ConcurrentExecution.SKIP)
    void scheduled() {
        try {
            prune();
        } catch (RuntimeException e) {
            // The next run tries again; pruning later loses nothing.
            LOG.warnf("pruning the platform tables failed: %s", e.getMessage());
        }
    }

    /** Deletes every row older than its table's retention, as of the service clock's now; how many per table. */
    public Map<PrunedTable, Integer> prune() {
        Instant now = clock.instant();
        Map<PrunedTable, Integer> pruned = new EnumMap<>(PrunedTable.class);
        for (PrunedTable table : PrunedTable.values()) {
            pruned.put(table, deleteOlderThan(table, now.minus(retention(table))));
        }
        if (pruned.values().stream().anyMatch(n -> n > 0)) {
            LOG.infof("pruned %s", pruned);
        }
        return pruned;
    }

    private Duration retention(PrunedTable table) {
        return switch (table) {
            case INBOX_EVENT -> config.inboxEventsAfter();
            case IDEMPOTENCY_KEY -> config.idempotencyKeysAfter();
            case OUTBOX_EVENT -> config.sentOutboxEventsAfter();
            case STORE_COMMAND_OUTCOME -> config.storeCommandOutcomesAfter();
        };
    }

    /** Deletes batch after batch until a batch is not full. */
    private int deleteOlderThan(PrunedTable table, Instant cutoff) {
        int limit = config.batchSize();
        int total = 0;
        try (Connection connection = dataSource.getConnection();
                PreparedStatement delete = connection.prepareStatement(table.deleteBatch())) {
            delete.setTimestamp(1, Timestamp.from(cutoff));
            delete.setInt(2, limit);
            int deleted;
            do {
                deleted = delete.executeUpdate();
                total += deleted;
            } while (deleted == limit);
        } catch (SQLException e) {
            throw new IllegalStateException("could not prune " + table.table, e);
        }
        return total;
    }
}
