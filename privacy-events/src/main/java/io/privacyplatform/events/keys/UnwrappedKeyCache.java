package io.privacyplatform.events.keys;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Unwrapped data keys kept briefly in memory: every published and every consumed event needs its subject's key, and a
 * round trip to the key store for each would cost more than the event. Bounded twice: at most {@code maxEntries}
 * (least recently used go first) and each for at most {@code timeToLive}, which is also how long another process
 * may still use a key this one destroyed (a destroy invalidates this process's cache at once).
 */
final class UnwrappedKeyCache<K> {

    private final long timeToLiveNanos;
    private final LinkedHashMap<K, Cached> entries;

    private record Cached(DataKey key, long expiresAt) {
    }

    UnwrappedKeyCache(int maxEntries, Duration timeToLive) {
        if (maxEntries < 0 || timeToLive.isNegative()) {
            throw new IllegalArgumentException("cache size and time to live must not be negative");
        }
        this.timeToLiveNanos = timeToLive.toNanos();
        this.entries = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<K, Cached> eldest) {
                return size() > maxEntries;
            }
        };
    }

    synchronized DataKey get(K id) {
        Cached entry = entries.get(id);
        if (entry == null) {
            return null;
        }
        if (System.nanoTime() - entry.expiresAt() > 0) {
            entries.remove(id);
            return null;
        }
        return entry.key();
    }

    synchronized void put(K id, DataKey key) {
        if (timeToLiveNanos > 0) {
            entries.put(id, new Cached(key, System.nanoTime() + timeToLiveNanos));
        }
    }

    synchronized void invalidate(Predicate<DataKey> which) {
        entries.values().removeIf(entry -> which.test(entry.key()));
    }
}
