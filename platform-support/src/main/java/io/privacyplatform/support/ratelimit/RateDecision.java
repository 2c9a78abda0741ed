package io.privacyplatform.support.ratelimit;

import java.time.Duration;

/**
 * The answer to one hit: allowed or not, the hits counted in the current window (this one included), and how long
 * until the window ends ({@link #retryAfterSeconds()}: what a 429's {@code Retry-After} says).
 */
public record RateDecision(RateLimit limit, boolean allowed, int hits, Duration untilReset) {

    /** Whole seconds until the window ends, rounded up and at least 1 (a Retry-After of 0 invites a hot loop). */
    public long retryAfterSeconds() {
        long seconds = untilReset.toSeconds() + (untilReset.toNanosPart() > 0 ? 1 : 0);
        return Math.max(1, seconds);
    }
}
