package io.privacyplatform.testing;

import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import java.util.stream.Stream;

/**
 * The PostgreSQL server tests use, and fresh databases on it. In order of preference: the one named by
 * {@code PRIVACY_TEST_PG_HOST}/{@code _PORT}/{@code _USER}/{@code _PASSWORD}; the machine's own at 127.0.0.1:5432;
 * otherwise PostgreSQL binaries from Maven (zonky) started in a temporary folder. PostgreSQL refuses to run as root,
 * so as root those binaries run as the unprivileged user {@code nobody} through {@code runuser}.
 */
public final class PostgresTestServer implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(PostgresTestServer.class.getName());
    private static final String BINARIES = "postgres-linux-x86_64.txz";
    private static PostgresTestServer shared;

    private final String host;
    private final int port;
    private final String user;
    private final String password;
    private final Path embeddedHome;
    private final List<String> created = new ArrayList<>();

    private PostgresTestServer(String host, int port, String user, String password, Path embeddedHome) {
        this.host = host;
        this.port = port;
        this.user = user;
        this.password = password;
        this.embeddedHome = embeddedHome;
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
        if (embeddedHome != null) {
            run(List.of(binary("pg_ctl").toString(), "-D", embeddedHome.resolve("data").toString(), "-m",
                    "immediate", "-w", "stop"), true);
            deleteTree(embeddedHome);
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

    private static boolean reachable(String host, int port, String user, String password) {
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
            Path home = Files.createTempDirectory("privacy-pg-");
            Path dist = Files.createDirectories(home.resolve("dist"));
            Path archive = home.resolve(BINARIES);
            try (InputStream in = PostgresTestServer.class.getClassLoader().getResourceAsStream(BINARIES)) {
                if (in == null) {
                    throw new IllegalStateException(BINARIES + " is not on the classpath (zonky binaries jar)");
                }
                Files.copy(in, archive);
            }
            run(List.of("tar", "-xJf", archive.toString(), "-C", dist.toString()), false);
            Files.createDirectories(home.resolve("sock"));
            if (isRoot()) {
                run(List.of("chown", "-R", "nobody", home.toString()), false);
            }
            PostgresTestServer server = new PostgresTestServer("127.0.0.1", freePort(), "postgres", "", home);
            Path data = home.resolve("data");
            run(List.of(server.binary("initdb").toString(), "-D", data.toString(), "-U", "postgres", "-A", "trust",
                    "-E", "UTF8", "--no-sync"), true);
            String options = "-p " + server.port + " -h 127.0.0.1 -k " + home.resolve("sock")
                    + " -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300";
            run(List.of(server.binary("pg_ctl").toString(), "-D", data.toString(), "-o", options, "-l",
                    home.resolve("postgres.log").toString(), "-w", "-t", "60", "start"), true);
            return server;
        } catch (IOException e) {
            throw new IllegalStateException("could not start PostgreSQL from the Maven binaries", e);
        }
    }

    private Path binary(String name) {
        return embeddedHome.resolve("dist").resolve("bin").resolve(name);
    }

    private static void run(List<String> command, boolean asPostgresUser) {
        List<String> full = new ArrayList<>();
        if (asPostgresUser && isRoot()) {
            full.addAll(List.of("runuser", "-u", "nobody", "--"));
        }
        full.addAll(command);
        try {
            Process process = new ProcessBuilder(full).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes());
            if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException("command failed: " + String.join(" ", full) + "\n" + output);
            }
        } catch (IOException e) {
            throw new IllegalStateException("could not run " + full, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + full, e);
        }
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
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
