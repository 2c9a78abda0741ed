package io.privacyplatform.support.health;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.agroal.api.AgroalDataSource;

/** What the outbox relay has not published yet: the relay lag. */
@ApplicationScoped
public class OutboxBacklogRepository {

    /** The unsent rows and the age of the oldest, in seconds (0 when there is none). */
    public record OutboxBacklog(long unsentRows, double oldestUnsentSeconds) {
    }

    @Inject
    AgroalDataSource dataSource;

    /**
     * Counts from the pending-rows index. The age is measured with the database's clock, the clock that stamped
     * {@code created_at}, so it is right even when the service's clock is moved (tests) or skewed.
     */
    public OutboxBacklog backlog() {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement query = connection.prepareStatement(
                        "SELECT count(*), COALESCE(EXTRACT(EPOCH FROM (now() - min(created_at))), 0)"
                                + " FROM outbox_event WHERE sent_at IS NULL AND set_aside_at IS NULL");
                ResultSet result = query.executeQuery()) {
            result.next();
            return new OutboxBacklog(result.getLong(1), Math.max(0, result.getDouble(2)));
        } catch (SQLException e) {
            throw new IllegalStateException("could not read the outbox backlog", e);
        }
    }
}
