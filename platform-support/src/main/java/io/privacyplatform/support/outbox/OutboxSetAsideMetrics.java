package io.privacyplatform.support.outbox;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The relay's set-aside rows as Prometheus sees them: {@code privacy_outbox_set_aside_total{topic}} counts the rows
 * this instance set aside, {@code privacy_outbox_set_aside_rows} is how many rows are set aside in the table now
 * (all instances', until an admin re-sends or deletes them). The alert {@code PrivacyOutboxRowSetAside}
 * ({@code deploy/alerts/privacy-platform.rules.yml}) fires on either.
 * <p>
 * The gauge is a cached count, refreshed by the relay's thread at most every {@link #REFRESH_EVERY} and at once when
 * this instance sets a row aside, so a scrape never queries the database.
 */
@ApplicationScoped
public class OutboxSetAsideMetrics {

    static final String SET_ASIDE_TOTAL = "privacy.outbox.set.aside";
    static final String SET_ASIDE_ROWS = "privacy.outbox.set.aside.rows";
    static final Duration REFRESH_EVERY = Duration.ofSeconds(30);

    private static final Logger LOG = Logger.getLogger(OutboxSetAsideMetrics.class);

    @Inject
    MeterRegistry registry;

    @Inject
    AgroalDataSource dataSource;

    private final AtomicLong rows = new AtomicLong();
    private volatile Instant refreshedAt = Instant.EPOCH;

    @PostConstruct
    void register() {
        Gauge.builder(SET_ASIDE_ROWS, rows, AtomicLong::get)
                .description("Outbox rows set aside after Kafka rejected them, waiting for an admin")
                .register(registry);
    }

    /** Called after the transaction that set the row aside committed. */
    public void rowSetAside(OutboxRelay.SetAside row) {
        Counter.builder(SET_ASIDE_TOTAL).description("Outbox rows this instance set aside").tag("topic", row.topic())
                .register(registry).increment();
        refresh();
    }

    /** Refreshes the gauge if its count is older than {@link #REFRESH_EVERY}. */
    public void refreshIfStale() {
        if (Instant.now().isAfter(refreshedAt.plus(REFRESH_EVERY))) {
            refresh();
        }
    }

    private void refresh() {
        try (Connection connection = dataSource.getConnection();
                Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery(
                        "SELECT count(*) FROM outbox_event WHERE set_aside_at IS NOT NULL")) {
            result.next();
            rows.set(result.getLong(1));
            refreshedAt = Instant.now();
        } catch (SQLException e) {
            // The database is away: the relay notices it too; the gauge keeps its last value.
            LOG.debugf("could not count set-aside outbox rows: %s", e.getClass().getSimpleName());
        }
    }
}
