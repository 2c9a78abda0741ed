package io.privacyplatform.support.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.Objects;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import io.agroal.api.AgroalDataSource;
import io.privacyplatform.events.payload.AckOutcome;
import io.privacyplatform.events.payload.CommandAck;
import io.privacyplatform.events.subscriber.AcknowledgedCommands;

/**
 * A store's remembered acks in the platform table {@code store_command_outcome}, in the service's own database.
 * In the transactional mode ({@link StoreCommandInbox}) both methods join the command's transaction, so an ack is
 * remembered exactly when the command's effect is committed; used with the plain subscriber kit, each call is a
 * transaction of its own.
 */
@ApplicationScoped
public class StoreCommandOutcomes implements AcknowledgedCommands {

    @Inject
    AgroalDataSource dataSource;

    @Override
    @Transactional
    public Optional<CommandAck> find(String commandId) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement("""
                        SELECT system_name, tenant_id, request_id, outcome, records, digest, detail, completed_at
                          FROM store_command_outcome WHERE command_id = ?""")) {
            select.setString(1, commandId);
            try (ResultSet row = select.executeQuery()) {
                if (!row.next()) {
                    return Optional.empty();
                }
                return Optional.of(new CommandAck(commandId, row.getString(1), row.getString(2), row.getString(3),
                        AckOutcome.valueOf(row.getString(4)), row.getLong(5), row.getString(6), row.getString(7),
                        null, row.getTimestamp(8).toInstant()));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not read the remembered ack of command " + commandId, e);
        }
    }

    /** Keeps {@code ack} (replacing an earlier one of the same command); an ack with data is never kept. */
    @Override
    @Transactional
    public void remember(CommandAck ack) {
        Objects.requireNonNull(ack, "ack");
        if (ack.data() != null) {
            // StoreRules never remembers an EXPORT's ack; data here would put personal data in this table.
            throw new IllegalStateException("the ack of command " + ack.commandId() + " carries data; not kept");
        }
        try (Connection connection = dataSource.getConnection();
                PreparedStatement upsert = connection.prepareStatement("""
                        INSERT INTO store_command_outcome (command_id, system_name, tenant_id, request_id, outcome,
                                                           records, digest, detail, completed_at)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                        ON CONFLICT (command_id) DO UPDATE SET system_name = excluded.system_name,
                            tenant_id = excluded.tenant_id, request_id = excluded.request_id,
                            outcome = excluded.outcome, records = excluded.records, digest = excluded.digest,
                            detail = excluded.detail, completed_at = excluded.completed_at,
                            remembered_at = now()""")) {
            upsert.setString(1, ack.commandId());
            upsert.setString(2, ack.system());
            upsert.setString(3, ack.tenantId());
            upsert.setString(4, ack.requestId());
            upsert.setString(5, ack.outcome().name());
            upsert.setLong(6, ack.records());
            upsert.setString(7, ack.digest());
            upsert.setString(8, ack.detail());
            upsert.setTimestamp(9, Timestamp.from(ack.completedAt()));
            upsert.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("could not remember the ack of command " + ack.commandId(), e);
        }
    }
}
