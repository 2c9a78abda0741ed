package io.privacyplatform.bench;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import io.privacyplatform.events.EventEnvelope;
import io.privacyplatform.events.keys.SubjectKeys;
import io.privacyplatform.events.payload.CommandKind;
import io.privacyplatform.events.payload.PrivacyCommand;
import io.privacyplatform.events.subscriber.CommandResult;
import io.privacyplatform.events.subscriber.CommandSubscriber;

/**
 * One simulated store on the subscriber kit (plain {@link CommandSubscriber}, as any internal system would plug
 * in): its own table {@code bench_store_<n>} in database bench_stores, one row per (subject, item); an ERASE
 * deletes the subject's rows of the tenant and answers {@code done} with their ids (NOT_FOUND when there were
 * none). Logs in to Kafka as its own principal ({@code bench-store-<n>}).
 */
final class BenchStore implements AutoCloseable {

    final String system;
    final String table;
    private final Connection connection;
    private final CommandSubscriber subscriber;

    /** @param keys the local run's key store: the commands it reads are sealed with the subjects' data keys */
    BenchStore(int number, String jdbcUrl, Properties kafka, String password, Path signingKey, SubjectKeys keys)
            throws SQLException {
        this.system = "bench-store-" + number;
        this.table = "bench_store_" + number;
        this.connection = DriverManager.getConnection(jdbcUrl, "postgres", "");
        Map<String, Object> client = new java.util.HashMap<>();
        KafkaSettings.as(kafka, system, password).forEach((key, value) -> client.put(key.toString(), value));
        this.subscriber = CommandSubscriber.builder()
                .bootstrapServers(client.remove("bootstrap.servers").toString())
                .systemName(system)
                .clientProperties(client)
                .handler(this::handle)
                .acknowledgedCommands(new JdbcAcknowledgedCommands(connection, system))
                .ackSigningKeyFile(signingKey)
                .subjectKeys(keys)
                .pollTimeout(Duration.ofMillis(100))
                .build();
    }

    /** Creates the tables (data and remembered acks) if missing. */
    static void createTables(String jdbcUrl, int stores) throws SQLException {
        try (Connection c = DriverManager.getConnection(jdbcUrl, "postgres", ""); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS bench_store_ack (system text NOT NULL, command_id text NOT NULL,"
                    + " ack text NOT NULL, PRIMARY KEY (system, command_id))");
            for (int n = 1; n <= stores; n++) {
                s.execute("CREATE TABLE IF NOT EXISTS bench_store_" + n + " (id bigserial PRIMARY KEY,"
                        + " tenant_id text NOT NULL, subject_id text NOT NULL, item text NOT NULL)");
                s.execute("CREATE INDEX IF NOT EXISTS bench_store_" + n + "_subject ON bench_store_" + n
                        + " (tenant_id, subject_id)");
            }
        }
    }

    void start() {
        subscriber.start();
    }

    private CommandResult handle(PrivacyCommand command, EventEnvelope envelope) throws SQLException {
        if (command.kind() != CommandKind.ERASE) {
            return CommandResult.failed("bench store: unsupported command kind " + command.kind());
        }
        List<String> ids = new ArrayList<>();
        try (PreparedStatement delete = connection.prepareStatement(
                "DELETE FROM " + table + " WHERE tenant_id = ? AND subject_id = ? RETURNING id")) {
            delete.setString(1, command.tenantId());
            delete.setString(2, command.subject().subjectId());
            try (ResultSet rows = delete.executeQuery()) {
                while (rows.next()) {
                    ids.add(system + "-" + rows.getLong(1));
                }
            }
        }
        // autocommit: the deletion is durable before the kit publishes the ack
        return ids.isEmpty() ? CommandResult.notFound() : CommandResult.done(ids);
    }

    @Override
    public void close() throws SQLException {
        subscriber.close();
        connection.close();
    }
}
