package io.privacyplatform.support.prune;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.IntUnaryOperator;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.privacyplatform.support.idempotency.IdempotentRequests;
import io.privacyplatform.support.inbox.EventInbox;
import io.privacyplatform.support.outbox.Outbox;
import io.privacyplatform.support.store.StoreCommandOutcomes;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.Scheduled.ConcurrentExecution;

/**
 * Deletes what the platform tables of every service accumulate, each after its retention ({@link PruneConfig}):
 * processed event ids, idempotency keys with their responses, sent outbox rows and a store's remembered acks.
 * Runs every {@code privacy.prune.every} (default 1 h, {@code off} disables it). Each table's delete lives with the
 * class that owns the table; this class only decides when and what is old. Several instances may prune at once:
 * they delete the same rows, which is harmless.
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
    EventInbox inbox;

    @Inject
    IdempotentRequests idempotentRequests;

    @Inject
    Outbox outbox;

    @Inject
    StoreCommandOutcomes outcomes;

    /** How many rows of each table one prune deleted. */
    public record Pruned(int inboxEvents, int idempotencyKeys, int sentOutboxEvents, int storeCommandOutcomes) {

        int total() {
            return inboxEvents + idempotencyKeys + sentOutboxEvents + storeCommandOutcomes;
        }
    }

    @Scheduled(identity = JOB, every = "${privacy.prune.every:1h}", concurrentExecution = ConcurrentExecution.SKIP)
    void scheduled() {
        try {
            prune();
        } catch (RuntimeException e) {
            // The next run tries again; nothing is lost by pruning later.
            LOG.warnf("pruning the platform tables failed: %s", e.getMessage());
        }
    }

    /** Deletes every row older than its table's retention, as of the service clock's now. */
    public Pruned prune() {
        Instant now = clock.instant();
        Pruned pruned = new Pruned(
                inRounds(limit -> inbox.deleteProcessedBefore(cutoff(now, config.inboxEventsAfter()), limit)),
                inRounds(limit -> idempotentRequests.deleteCreatedBefore(
                        cutoff(now, config.idempotencyKeysAfter()), limit)),
                inRounds(limit -> outbox.deleteSentBefore(cutoff(now, config.sentOutboxEventsAfter()), limit)),
                inRounds(limit -> outcomes.deleteRememberedBefore(
                        cutoff(now, config.storeCommandOutcomesAfter()), limit)));
        if (pruned.total() > 0) {
            LOG.infof("pruned %d inbox events, %d idempotency keys, %d sent outbox events, %d store command"
                    + " outcomes", pruned.inboxEvents(), pruned.idempotencyKeys(), pruned.sentOutboxEvents(),
                    pruned.storeCommandOutcomes());
        }
        return pruned;
    }

    private static Instant cutoff(Instant now, Duration retention) {
        return now.minus(retention);
    }

    /** Deletes batch after batch (each its own statement and transaction) until a batch is not full. */
    private int inRounds(IntUnaryOperator deleteUpTo) {
        int limit = config.batchSize();
        int total = 0;
        int deleted;
        do {
            deleted = deleteUpTo.applyAsInt(limit);
            total += deleted;
        } while (deleted == limit);
        return total;
    }
}
