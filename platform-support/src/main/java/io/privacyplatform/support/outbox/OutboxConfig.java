package io.privacyplatform.support.outbox;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

@ConfigMapping(prefix = "privacy.outbox")
public interface OutboxConfig {

    /** Whether this instance runs a relay at all (all instances may; they share the work by shard). */
    @WithDefault("true")
    boolean relayEnabled();

    /** Rows of one key share a shard; one relay at a time publishes a shard. Changing it reorders pending rows. */
    @WithDefault("8")
    int shards();

    @WithDefault("200")
    int batchSize();

    /**
     * The fallback poll: a commit in this instance wakes its relay at once; rows written by other instances are
     * picked up within this interval.
     */
    @WithDefault("500ms")
    Duration pollInterval();

    /** How long a batch may wait for the broker's acknowledgements before it is aborted and retried. */
    @WithDefault("15s")
    Duration sendTimeout();

    /** How long to wait after a failed attempt (broker down) before trying again. */
    @WithDefault("1s")
    Duration retryBackoff();

    /**
     * How many times Kafka may reject a row for a reason of the row's own (its topic does not exist, it is too large)
     * before the relay sets it aside and publishes the rows behind it. Attempts that failed because the broker was
     * away do not count, however many.
     */
    @WithDefault("5")
    int maxAttempts();
}
