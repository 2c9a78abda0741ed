package io.privacyplatform.support.prune;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * How long the platform tables every service has keep their rows before {@link PlatformTablesPruner} deletes them.
 * Each retention is measured from the row's own timestamp against the service clock.
 */
@ConfigMapping(prefix = "privacy.prune")
public interface PruneConfig {

    /** How often the prune runs ({@code 1h}, {@code 10m} …); {@code off} disables it in this instance. */
    @WithDefault("1h")
    String every();

    /**
     * Processed event ids ({@code inbox_event}). An id must outlive every way the same event can come again: the
     * topics that carry identifiers keep records 7 days (a consumer group reset re-reads at most that), and an
     * outbox relay re-sends a pending row at most until the broker is back. 30 days is well past both; an id pruned
     * after that can no longer be redelivered. (The compacted settings topic can be re-read any time, but its
     * events are states applied "unless older", so a second effect changes nothing.)
     */
    @WithDefault("P30D")
    Duration inboxEventsAfter();

    /**
     * {@code Idempotency-Key}s and the responses kept with them (which may hold subject ids): a key is honoured for
     * at least this long (what {@code IdempotentRequests} promises a client retrying), then forgotten.
     */
    @WithDefault("PT24H")
    Duration idempotencyKeysAfter();

    /** Sent outbox rows, kept a little for diagnosis; a pending row is never pruned. */
    @WithDefault("P1D")
    Duration sentOutboxEventsAfter();

    /**
     * A store's remembered acks ({@code store_command_outcome}: no personal data, but one row per command). Kept
     * far longer than retention-service re-sends an unanswered command (its ack timeout times its attempts, minutes
     * to hours), so a re-sent command is still answered from memory instead of being carried out again.
     */
    @WithDefault("P90D")
    Duration storeCommandOutcomesAfter();

    /** Rows deleted per statement (each its own transaction), so a large backlog never holds long locks. */
    @WithDefault("10000")
    int batchSize();
}
