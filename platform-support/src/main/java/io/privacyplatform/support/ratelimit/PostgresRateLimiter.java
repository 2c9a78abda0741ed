package io.privacyplatform.support.ratelimit;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Objects;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import javax.sql.DataSource;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Fixed-window rate limits whose state is in PostgreSQL ({@code rate_limit_window}, platform migration V0_51), so
 * every instance of a service counts against the same limit. One hit is one statement:
 * {@code INSERT … ON CONFLICT (limit, key, window) DO UPDATE SET hits = hits + 1 RETURNING hits} — atomic under
 * concurrency without a lock of our own, one round trip, and nothing kept but a counter per window.
 * <p>
 * Why not Bucket4j's PostgreSQL backend ({@code com.bucket4j:bucket4j_jdk17-postgresql} 8.14.0 resolves): it keeps a
 * serialized bucket state per key (a blob no one can read in SQL when asked who was limited) and takes a row lock
 * or an advisory lock per check in a transaction of its own (several round trips); a counter per window is all
 * these limits need, readable and pruned with plain SQL. The price of fixed windows: a client may spend a full
 * window's permits at the end of one window and again at the start of the next (at most twice the limit in a short
 * time), which is fine for limits against guessing and flooding.
 * <p>
 * Keys are stored as {@code HMAC-SHA256(secret, limit name "\n" key)}: the table names no client address or e-mail
 * address, and without the secret (from the configuration, not the database) the hashes cannot be tested against a
 * list of addresses. Each hit is counted in {@code privacy_rate_limit_hits_total{limit, outcome=allowed|refused}}.
 * <p>
 * Call it outside a transaction: inside one, the data source enlists the connection and a rollback of the caller's
 * work (a refused form, say) would forget the hit.
 */
public class PostgresRateLimiter {

    static final String HIT = "INSERT INTO rate_limit_window (limit_name, key_hash, window_start, window_end, hits) "
            + "VALUES (?, ?, ?, ?, 1) ON CONFLICT (limit_name, key_hash, window_start) "
            + "DO UPDATE SET hits = rate_limit_window.hits + 1 RETURNING hits";
    static final String PRUNE = "DELETE FROM rate_limit_window WHERE ctid = ANY (ARRAY(SELECT ctid FROM "
            + "rate_limit_window WHERE window_end <= ? LIMIT ?))";
    private static final int PRUNE_BATCH = 10_000;

    private final DataSource dataSource;
    private final Clock clock;
    private final MeterRegistry meters;
    private final SecretKeySpec key;

    /**
     * @param secret keys the HMAC of every limited value; derive it for this purpose from a platform secret and keep
     *               it the same across instances (or they count different keys)
     * @param meters where hits are counted; null counts nothing
     */
    public PostgresRateLimiter(DataSource dataSource, Clock clock, byte[] secret, MeterRegistry meters) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.clock = Objects.requireNonNull(clock, "clock");
        if (secret == null || secret.length < 16) {
            throw new IllegalArgumentException("the rate limiter's secret must have at least 16 bytes");
        }
        this.key = new SecretKeySpec(secret.clone(), "HmacSHA256");
        this.meters = meters;
    }

    /** Counts one hit of {@code key} against {@code limit} and answers whether it is within the limit. */
    public RateDecision hit(RateLimit limit, String key) {
        Objects.requireNonNull(key, "key");
        Instant now = clock.instant();
        long windowMillis = limit.window().toMillis();
        Instant start = Instant.ofEpochMilli(Math.floorDiv(now.toEpochMilli(), windowMillis) * windowMillis);
        Instant end = start.plusMillis(windowMillis);
        int hits;
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(HIT)) {
            statement.setString(1, limit.name());
            statement.setString(2, keyHash(limit, key));
            statement.setTimestamp(3, Timestamp.from(start));
            statement.setTimestamp(4, Timestamp.from(end));
            try (ResultSet row = statement.executeQuery()) {
                row.next();
                hits = row.getInt(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not count a hit of rate limit " + limit.name(), e);
        }
        boolean allowed = hits <= limit.permits();
        if (meters != null) {
            Counter.builder("privacy.rate.limit.hits").description("Hits counted against a rate limit")
                    .tag("limit", limit.name()).tag("outcome", allowed ? "allowed" : "refused")
                    .register(meters).increment();
        }
        return new RateDecision(limit, allowed, hits, Duration.between(now, end));
    }

    /** Deletes the counters of windows that ended at or before {@code now}; answers how many. */
    public int prune(Instant now) {
        int total = 0;
        try (Connection connection = dataSource.getConnection();
                PreparedStatement delete = connection.prepareStatement(PRUNE)) {
            delete.setTimestamp(1, Timestamp.from(now));
            delete.setInt(2, PRUNE_BATCH);
            int deleted;
            do {
                deleted = delete.executeUpdate();
                total += deleted;
            } while (deleted == PRUNE_BATCH);
        } catch (SQLException e) {
            throw new IllegalStateException("could not prune the rate limit windows", e);
        }
        return total;
    }

    /** What the table keeps of a key: never the key itself. */
    String keyHash(RateLimit limit, String value) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return HexFormat.of().formatHex(mac.doFinal((limit.name() + "\n" + value)
                    .getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this JVM", e);
        }
    }
}
