package io.privacyplatform.support.ratelimit;

import java.time.Duration;
import java.util.Objects;

/**
 * A limit: at most {@code permits} hits per key in each fixed window of {@code window} (windows start at multiples of
 * the window since the epoch, so every instance agrees on them). {@code name} tells limits apart in the table and in
 * the metric ({@code limit} tag): {@code privacy-page.submit.ip}.
 */
public record RateLimit(String name, int permits, Duration window) {

    public RateLimit {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(window, "window");
        if (name.isBlank() || name.length() > 100) {
            throw new IllegalArgumentException("a limit's name is 1-100 characters: " + name);
        }
        if (permits < 1) {
            throw new IllegalArgumentException("a limit allows at least one hit per window: " + name);
        }
        if (window.toMillis() < 1000) {
            throw new IllegalArgumentException("a limit's window is at least a second: " + name);
        }
    }
}
