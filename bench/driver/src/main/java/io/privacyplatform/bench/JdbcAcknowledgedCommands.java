package io.privacyplatform.bench;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

import io.privacyplatform.events.EventCodec;
import io.privacyplatform.events.payload.CommandAck;
import io.privacyplatform.events.subscriber.AcknowledgedCommands;

/**
 * A bench store's remembered acks, durable in the same database as its data (table {@code bench_store_ack}), as
 * docs/events.md asks of a store on the subscriber kit. Called from the kit's single loop thread only, on the
 * store's own connection (autocommit: each remember is durable when it returns).
 */
final class JdbcAcknowledgedCommands implements AcknowledgedCommands {

    private final Connection connection;
    private final String system;
    private final EventCodec codec = new EventCodec();

    JdbcAcknowledgedCommands(Connection connection, String system) {
        this.connection = connection;
        this.system = system;
    }

    @Override
    public Optional<CommandAck> find(String commandId) {
        try (PreparedStatement find = connection
                .prepareStatement("SELECT ack FROM bench_store_ack WHERE system = ? AND command_id = ?")) {
            find.setString(1, system);
            find.setString(2, commandId);
            try (ResultSet row = find.executeQuery()) {
                return row.next() ? Optional.of(codec.mapper().readValue(row.getString(1), CommandAck.class))
                        : Optional.empty();
            }
        } catch (Exception e) {
            throw new IllegalStateException("reading a remembered ack failed", e);
        }
    }

    @Override
    public void remember(CommandAck ack) {
        try (PreparedStatement upsert = connection.prepareStatement("INSERT INTO bench_store_ack (system, command_id,"
                + " ack) VALUES (?, ?, ?) ON CONFLICT (system, command_id) DO UPDATE SET ack = EXCLUDED.ack")) {
            upsert.setString(1, system);
            upsert.setString(2, ack.commandId());
            upsert.setString(3, codec.mapper().writeValueAsString(ack));
            upsert.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("remembering an ack failed", e);
        } catch (Exception e) {
            throw new IllegalStateException("encoding an ack failed", e);
        }
    }
}
