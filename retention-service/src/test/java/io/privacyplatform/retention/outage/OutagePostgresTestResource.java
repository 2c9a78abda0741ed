package io.privacyplatform.retention.outage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

import io.privacyplatform.testing.EmbeddedPostgres;
import io.privacyplatform.testing.PlatformTestResource;

/**
 * {@link PlatformTestResource}'s broker and token key, but the application's database on a PostgreSQL server of its
 * own (PostgreSQL binaries from Maven, {@link EmbeddedPostgres}) that a test may stop and start again without
 * touching the server every other test uses. Used only through {@link PostgresOutageProfile}.
 */
public class OutagePostgresTestResource extends PlatformTestResource {

    private static final String DATABASE = "retention_service_outage";

    private static EmbeddedPostgres server;
    private static String jdbcUrl;

    @Override
    public Map<String, String> start() {
        Map<String, String> config = new HashMap<>(super.start());
        try {
            server = new EmbeddedPostgres(Files.createTempDirectory("privacy-pg-outage-"), freePort());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.start(true);
        String base = "jdbc:postgresql://127.0.0.1:" + server.port() + "/";
        try (Connection connection = DriverManager.getConnection(base + "postgres", "postgres", "");
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + DATABASE);
        } catch (SQLException e) {
            throw new IllegalStateException("could not create the outage test database", e);
        }
        jdbcUrl = base + DATABASE;
        config.put("quarkus.datasource.jdbc.url", jdbcUrl);
        config.put("quarkus.datasource.username", "postgres");
        config.put("quarkus.datasource.password", "");
        return config;
    }

    @Override
    public synchronized void stop() {
        try {
            super.stop();
        } finally {
            if (server != null) {
                server.stop("immediate");
                deleteTree(server.home());
                server = null;
            }
        }
    }

    /** Stops the application's PostgreSQL with {@code pg_ctl stop -m fast}: every connection is cut. */
    public static void stopPostgres() {
        server.stop("fast");
        if (server.pid().isPresent()) {
            throw new IllegalStateException("PostgreSQL did not stop");
        }
    }

    /** Starts it again on the same port and data directory (pg_ctl start waits until it accepts connections). */
    public static void startPostgres() {
        server.start(true);
    }

    public static Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl, "postgres", "");
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temporary folder; the machine's tmp cleaner gets it otherwise
        }
    }
}
