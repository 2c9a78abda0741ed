package io.privacyplatform.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.logging.Logger;
import java.util.stream.Stream;

/**
 * The PostgreSQL server tests use, and fresh databases on it. In order of preference: the one named by
 * {@code PRIVACY_TEST_PG_HOST}/{@code _PORT}/{@code _USER}/{@code _PASSWORD}; the machine's own at 127.0.0.1:5432;
 * otherwise an {@link EmbeddedPostgres} (PostgreSQL binaries from Maven) started in a temporary folder and deleted
 * with the JVM.
 */
public final class PostgresTestServer implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(PostgresTestServer.class.getName());
    private static PostgresTestServer shared;

    private final String host;
    private final int port;
    private final String user;
    private final String password;
    private final EmbeddedPostgres embedded;
    private final List<String> created = new ArrayList<>();

    private PostgresTestServer(String host, int port, String user, String password, EmbeddedPostgres embedded) {
        this.host = host;
        this.port = port;
        this.user = user;
        this.password = password;
        this.embedded = embedded;
    }

    /** One server per JVM, stopped (and its databases dropped) when the JVM exits. */
    public static synchronized PostgresTestServer shared() {
        if (shared == null) {
            shared = locate();
            PostgresTestServer server = shared;
            Runtime.getRuntime().addShutdownHook(new Thread(server::close, "postgres-test-server-stop"));
        }
        return shared;
    }

    /** The server at {@code host:port} as user postgres without password, used as it is: close() stops nothing. */
    static PostgresTestServer at(String host, int port) {
        return new PostgresTestServer(host, port, "postgres", "", null);
    }

    static PostgresTestServer locate() {
        String host = env("PRIVACY_TEST_PG_HOST", "127.0.0.1");
        int port = Integer.parseInt(env("PRIVACY_TEST_PG_PORT", "5432"));
        String user = env("PRIVACY_TEST_PG_USER", "postgres");
        String password = env("PRIVACY_TEST_PG_PASSWORD", "");
        if (!"true".equalsIgnoreCase(System.getenv("PRIVACY_TEST_PG_EMBEDDED"))
                && reachable(host, port, user, password)) {
            return new PostgresTestServer(host, port, user, password, null);
        }
        LOG.info(() -> "no PostgreSQL at " + host + ":" + port + "; starting PostgreSQL binaries from Maven");
        return startEmbedded();
    }

    public String host() {
        return host;
    }

    public int port() {
        return port;
    }

    public String user() {
        return user;
    }

    public String password() {
        return password;
    }

    public String jdbcUrl(String database) {
        return "jdbc:postgresql://" + host + ":" + port + "/" + database;
    }

    /** Creates a new, empty database named {@code <prefix>_<random>} and returns its name. */
    public synchronized String createDatabase(String prefix) {
        String name = (prefix + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12))
                .toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
        execute("CREATE DATABASE " + name);
        created.add(name);
        return name;
    }

    /**
     * Creates the database {@code name} unless it exists (the local run's fixed database names) and tells whether it
     * did. {@link #close()} leaves such a database alone.
     */
    public boolean createDatabaseIfMissing(String name) {
        if (!name.matches("[a-z_][a-z0-9_]*")) {
            throw new IllegalArgumentException("not a plain database name: " + name);
        }
        try (Connection connection = DriverManager.getConnection(jdbcUrl("postgres"), user, password);
                PreparedStatement query = connection.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
            query.setString(1, name);
            try (ResultSet exists = query.executeQuery()) {
                if (exists.next()) {
                    return false;
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("PostgreSQL at " + host + ":" + port + " refused to list databases", e);
        }
        execute("CREATE DATABASE " + name);
        return true;
    }

    private void execute(String sql) {
        try (Connection connection = DriverManager.getConnection(jdbcUrl("postgres"), user, password);
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("PostgreSQL at " + host + ":" + port + " refused: " + sql, e);
        }
    }

    @Override
    public synchronized void close() {
        if (embedded != null) {
            embedded.stop("immediate");
            deleteTree(embedded.home());
            return;
        }
        for (String name : created) {
            try {
                execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
            } catch (RuntimeException e) {
                LOG.warning("could not drop test database " + name + ": " + e.getMessage());
            }
        }
        created.clear();
    }

    static boolean reachable(String host, int port, String user, String password) {
        DriverManager.setLoginTimeout(3);
        try (Connection ignored = DriverManager.getConnection(
                "jdbc:postgresql://" + host + ":" + port + "/postgres?connectTimeout=3", user, password)) {
            return true;
        } catch (SQLException e) {
            return false;
        }
    }

    private static PostgresTestServer startEmbedded() {
        try {
            EmbeddedPostgres server = new EmbeddedPostgres(Files.createTempDirectory("privacy-pg-"), freePort());
            server.start(true);
            return new PostgresTestServer("127.0.0.1", server.port(), "postgres", "", server);
        } catch (IOException e) {
            throw new IllegalStateException("could not start PostgreSQL from the Maven binaries", e);
        }
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
            LOG.warning("could not delete " + root + ": " + e.getMessage());
        }
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
