package io.privacyplatform.system;

import static org.awaitility.Awaitility.await;

import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.apache.kafka.clients.admin.Admin;

import io.privacyplatform.system.PlatformProcesses.Service;
import io.privacyplatform.testing.EmbeddedPostgres;

/**
 * The platform spread out as {@code deploy/local/run.sh --brokers 3 --instances 2} starts it: three Kafka nodes
 * (separate JVMs, so one can be killed), two JVMs of every service, the embedded PostgreSQL (zonky's binaries through
 * platform-testing's {@code LocalPostgres}/{@link EmbeddedPostgres}, which this test may restart, unlike the machine's
 * server). It runs in a slot of its own ({@code LOCAL_RUN_SLOT}, ports + 10 x slot) with its own run folder
 * ({@code LOCAL_RUN_DIR} under {@code target/}), so it never touches a developer's local run. The ports, pid files,
 * tokens and databases are the ones run.sh documents; this class only reads them.
 */
final class SpreadOutPlatform implements AutoCloseable {

    static final int BROKERS = 3;
    static final int INSTANCES = 2;
    /** Starting 8 service JVMs and 3 brokers on 2 cores takes minutes; run.sh waits this long for each service. */
    private static final int SERVICE_WAIT_SECONDS = 420;
    private static final Duration RUN_SH_WITHIN = Duration.ofMinutes(20);

    private final Path repository;
    private final Path runDir;
    private final Path work;
    private final int slot;
    private final Map<String, String> serviceSettings;

    /**
     * @param work where run.sh's output and the run folder go (wiped of an earlier run's state, except the broker
     *        jars and the resolved tool classpath, which only cost time to fetch again)
     * @param serviceSettings environment variables every service JVM inherits from run.sh (Quarkus config)
     */
    SpreadOutPlatform(Path repository, Path work, int slot, Map<String, String> serviceSettings) {
        this.repository = repository;
        this.work = work;
        this.runDir = work.resolve("run");
        this.slot = slot;
        this.serviceSettings = serviceSettings;
    }

    /** Stops what an earlier, aborted run of this test left behind, clears its state and starts the platform. */
    void start() throws IOException {
        Files.createDirectories(work);
        if (Files.isDirectory(runDir.resolve("pids"))) {
            script("stop.sh", List.of(), "stop-before.log");
        }
        clearState();
        startMissing();
    }

    /**
     * run.sh again: it starts whatever of the shape is not running (a killed broker or instance) and leaves the
     * rest alone. Returns once every service instance answers ready.
     */
    void startMissing() throws IOException {
        script("run.sh", List.of("--brokers", Integer.toString(BROKERS), "--instances", Integer.toString(INSTANCES)),
                "run.log");
    }

    @Override
    public void close() throws IOException {
        script("stop.sh", List.of(), "stop.log");
    }

    private void script(String name, List<String> args, String log) throws IOException {
        List<String> command = new ArrayList<>(List.of("bash", repository.resolve("deploy/local").resolve(name)
                .toString()));
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command).directory(repository.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(work.resolve(log).toFile()));
        Map<String, String> env = builder.environment();
        env.put("LOCAL_RUN_SLOT", Integer.toString(slot));
        env.put("LOCAL_RUN_DIR", runDir.toString());
        // The reactor built the jars and classes; run.sh must not start a Maven build of its own.
        env.put("SKIP_BUILD", "1");
        // A PostgreSQL this test may stop and start (the machine's hosts other work).
        env.put("PG_FORCE_EMBEDDED", "1");
        // A fresh folder would record class archives at every exit: slower stops, nothing gained.
        env.put("CDS", "0");
        env.put("SERVICE_WAIT_SECONDS", Integer.toString(SERVICE_WAIT_SECONDS));
        env.put("KAFKA_WAIT_SECONDS", "180");
        env.putAll(serviceSettings);
        Process process = builder.start();
        try {
            if (!process.waitFor(RUN_SH_WITHIN.toMinutes(), TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new IllegalStateException(name + " did not finish within " + RUN_SH_WITHIN + "; see "
                        + work.resolve(log));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        if (process.exitValue() != 0) {
            throw new IllegalStateException(name + " " + String.join(" ", args) + " failed (exit "
                    + process.exitValue() + "); last lines of " + work.resolve(log) + ":\n" + tail(work.resolve(log)));
        }
    }

    /** Everything of an earlier run but the broker jars and the tool classpath (both only cost time to fetch). */
    private void clearState() throws IOException {
        if (!Files.isDirectory(runDir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(runDir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Path relative = runDir.relativize(path);
                if (relative.startsWith("kafka/lib") || relative.startsWith("tools") || path.equals(runDir)
                        || relative.toString().equals("kafka")) {
                    continue;
                }
                Files.delete(path);
            }
        }
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    // ---- what run.sh documents: ports, pid files, tokens, databases (lib.sh) -------------------------------------

    private int slotOffset() {
        return 10 * slot;
    }

    /** The API base URL of instance {@code instance} (1-based) of a service: its port + 100 per further instance. */
    String url(Service service, int instance) {
        return "http://127.0.0.1:" + (apiPort(service) + 100 * (instance - 1));
    }

    /** Every instance's base URL, instance 1 first. */
    List<String> urls(Service service) {
        List<String> urls = new ArrayList<>();
        for (int instance = 1; instance <= INSTANCES; instance++) {
            urls.add(url(service, instance));
        }
        return urls;
    }

    private int apiPort(Service service) {
        return switch (service) {
            case CONSENT -> 8081;
            case REQUEST -> 8082;
            case RETENTION -> 8083;
            case MAIL_LOG -> 8084;
        } + slotOffset();
    }

    /** The pid file name of an instance ({@code consent-service}, {@code consent-service-2}). */
    static String unit(Service service, int instance) {
        return instance == 1 ? service.module : service.module + "-" + instance;
    }

    /** The pid file name of Kafka node {@code node} ({@code kafka}, {@code kafka-2}, ...). */
    static String brokerUnit(int node) {
        return node == 1 ? "kafka" : "kafka-" + node;
    }

    /**
     * Kills the process of a pid file with SIGKILL, as a crash or the OOM killer would: no shutdown hook runs, no
     * consumer leaves its group, no transaction is aborted. Returns once it is gone.
     */
    void kill(String unit) throws IOException {
        long pid = Long.parseLong(Files.readString(runDir.resolve("pids").resolve(unit + ".pid")).strip());
        ProcessHandle process = ProcessHandle.of(pid)
                .orElseThrow(() -> new IllegalStateException(unit + " (pid " + pid + ") is not running"));
        String command = process.info().commandLine().orElse("");
        if (!command.contains("java")) {
            throw new IllegalStateException("pid " + pid + " of " + unit + " is not a JVM: " + command);
        }
        process.destroyForcibly(); // SIGKILL on Linux
        process.onExit().join();
    }

    /** A bearer token run.sh minted for the tenant and role ({@code .run/tokens/<tenant>-<role>.jwt}). */
    String token(String tenant, String role) {
        try {
            return Files.readString(runDir.resolve("tokens").resolve(tenant + "-" + role + ".jwt")).strip();
        } catch (IOException e) {
            throw new IllegalStateException("no token for " + tenant + "-" + role + " in " + runDir, e);
        }
    }

    /** The Kafka admin super user's client settings (run.sh's admin.properties: every node, SASL/SCRAM). */
    Properties kafkaAdminSettings() {
        Properties properties = new Properties();
        try (InputStream in = new FileInputStream(runDir.resolve("kafka/admin.properties").toFile())) {
            properties.load(in);
        } catch (IOException e) {
            throw new IllegalStateException("no admin.properties in " + runDir, e);
        }
        return properties;
    }

    /**
     * The node id of the active KRaft controller (the node whose loss costs an election on top of its partitions).
     * Asked again until it answers: on a machine this busy one call can take longer than its timeout.
     */
    int activeController() {
        try (Admin admin = Admin.create(kafkaAdminSettings())) {
            return await().atMost(Duration.ofMinutes(3)).ignoreExceptions().until(
                    () -> admin.describeMetadataQuorum().quorumInfo().get(30, TimeUnit.SECONDS).leaderId(),
                    leader -> leader != null && leader >= 0);
        }
    }

    // ---- PostgreSQL: the embedded server run.sh started (LocalPostgres) ----------------------------------------

    private int postgresPort() {
        return 15432 + slot;
    }

    private EmbeddedPostgres postgres() {
        try {
            Path home = Path.of(Files.readString(runDir.resolve("pg/embedded-home")).strip());
            return new EmbeddedPostgres(home, postgresPort());
        } catch (IOException e) {
            throw new IllegalStateException("run.sh did not start an embedded PostgreSQL (no pg/embedded-home)", e);
        }
    }

    /** Stops PostgreSQL the hard way (pg_ctl -m immediate: no checkpoint, crash recovery at the next start). */
    void crashPostgres() {
        postgres().stop("immediate");
    }

    /** Starts the same PostgreSQL again on the same data and port (durable: fsync on, as run.sh starts it). */
    void startPostgres() {
        postgres().start(false);
    }

    /**
     * The local run's key store as {@code privacy.keys.*} settings (run.sh: database {@code privacy_keys_s<slot>},
     * master key {@code keys-master.secret}), for a reader of the run's sealed events.
     */
    Map<String, String> keyStoreSettings() {
        try {
            return Map.of("privacy.keys.jdbc-url", "jdbc:postgresql://127.0.0.1:" + postgresPort() + "/privacy_keys_s"
                    + slot, "privacy.keys.username", "postgres",
                    "privacy.keys.master-key", Files.readString(runDir.resolve("keys-master.secret")).strip());
        } catch (IOException e) {
            throw new IllegalStateException("run.sh made no keys-master.secret in " + runDir, e);
        }
    }

    /** The first column of the first row of a query on a service's database (run.sh's name: {@code <db>_s<slot>}). */
    long count(Service service, String sql, Object... params) {
        try (Connection connection = connect(service); PreparedStatement statement = prepare(connection, sql, params);
                ResultSet result = statement.executeQuery()) {
            result.next();
            return result.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    /** Every row of a query, each as column label → value. */
    List<Map<String, Object>> rows(Service service, String sql, Object... params) {
        try (Connection connection = connect(service); PreparedStatement statement = prepare(connection, sql, params);
                ResultSet result = statement.executeQuery()) {
            List<Map<String, Object>> rows = new ArrayList<>();
            int columns = result.getMetaData().getColumnCount();
            while (result.next()) {
                Map<String, Object> row = new HashMap<>();
                for (int i = 1; i <= columns; i++) {
                    row.put(result.getMetaData().getColumnLabel(i), result.getObject(i));
                }
                rows.add(row);
            }
            return rows;
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    private Connection connect(Service service) throws SQLException {
        String database = service.module.replace('-', '_') + "_s" + slot;
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + postgresPort() + "/" + database,
                "postgres", "");
    }

    private static PreparedStatement prepare(Connection connection, String sql, Object... params) throws SQLException {
        PreparedStatement statement = connection.prepareStatement(sql);
        for (int i = 0; i < params.length; i++) {
            statement.setObject(i + 1, params[i]);
        }
        return statement;
    }

    Path work() {
        return work;
    }
}
