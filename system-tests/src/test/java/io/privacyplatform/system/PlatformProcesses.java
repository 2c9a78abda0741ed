package io.privacyplatform.system;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.privacyplatform.events.Ed25519Keys;
import io.privacyplatform.events.Topics;
import io.privacyplatform.testing.KafkaTestCluster;
import io.privacyplatform.testing.PostgresTestServer;
import io.privacyplatform.testing.TestKeyStore;
import io.privacyplatform.testing.TestTokens;

/**
 * The whole platform as it runs in production: one real broker, a PostgreSQL database per service, and each
 * service as its own JVM started from its built fast-jar. Started once per test JVM and shared by every scenario
 * (starting four JVMs is the expensive part); scenarios use their own tenants and subjects.
 */
public final class PlatformProcesses {

    /** The services' pseudonym secret: a test computes a subject's Kafka key with it. */
    static final String PSEUDONYM_SECRET = "system-test-pseudonym-secret-0123456789";

    public enum Service {
        CONSENT("consent-service", "consent"), REQUEST("request-service", "request"),
        RETENTION("retention-service", "retention"), MAIL_LOG("mail-log-store", "mail_log");

        final String module;
        final String database;

        Service(String module, String database) {
            this.module = module;
            this.database = database;
        }
    }

    private static final Duration READY_WITHIN = Duration.ofSeconds(180);
    private static PlatformProcesses started;

    private final KafkaTestCluster kafka;
    private final PostgresTestServer postgres;
    private final Path root = Path.of(System.getProperty("services.root", "..")).toAbsolutePath().normalize();
    private final Path logs = Path.of(System.getProperty("system-tests.logs", "target/system-logs"));
    private final Map<Service, Integer> ports = new EnumMap<>(Service.class);
    /** Health and metrics answer on each service's management interface, its own port. */
    private final Map<Service, Integer> managementPorts = new EnumMap<>(Service.class);
    private final Map<Service, String> jdbcUrls = new EnumMap<>(Service.class);
    private final Map<Service, Process> processes = new EnumMap<>(Service.class);
    private final Map<Service, Path> signingKeys = new EnumMap<>(Service.class);
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private PlatformProcesses() throws IOException {
        kafka = KafkaTestCluster.start();
        // The topics as deployed: Topics' specs, with partitions, retention and compaction, and the .dlq twins.
        Topics.specsWithDeadLetters()
                .forEach(spec -> kafka.createTopics(List.of(spec.name()), spec.partitions(), spec.configs()));
        postgres = PostgresTestServer.shared();
        Files.createDirectories(logs);
        for (Service service : Service.values()) {
            ports.put(service, freePort());
            managementPorts.put(service, freePort());
            jdbcUrls.put(service, postgres.jdbcUrl(postgres.createDatabase("sys_" + service.database)));
            Path key = logs.resolve(service.module + "-signing.pem");
            Files.writeString(key, Ed25519Keys.privatePem(Ed25519Keys.generate().getPrivate()));
            signingKeys.put(service, key);
        }
    }

    public static synchronized PlatformProcesses get() {
        if (started == null) {
            try {
                PlatformProcesses platform = new PlatformProcesses();
                // Safety net only: the processes must not outlive the test JVM. The broker is closed by
                // PlatformSession when the test session ends (closing it in a shutdown hook races the JVM's exit).
                Runtime.getRuntime().addShutdownHook(new Thread(platform::stopServices, "platform-processes-stop"));
                for (Service service : Service.values()) {
                    platform.start(service);
                }
                for (Service service : Service.values()) {
                    platform.awaitReady(service);
                }
                started = platform;
            } catch (IOException e) {
                throw new IllegalStateException("could not start the platform", e);
            }
        }
        return started;
    }

    public String url(Service service) {
        return "http://127.0.0.1:" + ports.get(service);
    }

    /** The service's management interface (health, metrics). */
    public String managementUrl(Service service) {
        return "http://127.0.0.1:" + managementPorts.get(service);
    }

    public KafkaTestCluster kafka() {
        return kafka;
    }

    public String jdbcUrl(Service service) {
        return jdbcUrls.get(service);
    }

    /** The first column of the first row of a query on a service's own database (e.g. a count). */
    public long count(Service service, String sql, Object... params) {
        try (java.sql.Connection connection = java.sql.DriverManager.getConnection(jdbcUrls.get(service),
                postgres.user(), postgres.password());
                java.sql.PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                statement.setObject(i + 1, params[i]);
            }
            try (java.sql.ResultSet result = statement.executeQuery()) {
                result.next();
                return result.getLong(1);
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    /** Starts a service (again) on its port, with its database; returns without waiting for readiness. */
    public synchronized void start(Service service) throws IOException {
        Path jar = root.resolve(service.module).resolve("target/quarkus-app/quarkus-run.jar");
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " is missing: build the services first (./mvnw verify builds them)");
        }
        List<String> command = new ArrayList<>(List.of(javaBinary(), "-Xmx256m", "-XX:TieredStopAtLevel=1",
                "-jar", jar.toString()));
        ProcessBuilder builder = new ProcessBuilder(command).directory(root.resolve(service.module).toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logs.resolve(service.module + ".log").toFile()));
        builder.environment().putAll(environment(service));
        processes.put(service, builder.start());
    }

    /** Stops a service the way an outage would: the process is gone (SIGTERM, then SIGKILL). */
    public synchronized void stop(Service service) {
        Process process = processes.remove(service);
        if (process == null) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public void awaitReady(Service service) {
        long deadline = System.nanoTime() + READY_WITHIN.toNanos();
        while (System.nanoTime() < deadline) {
            Process process = processes.get(service);
            if (process == null || !process.isAlive()) {
                throw new IllegalStateException(service.module + " exited; see " + logs.resolve(service.module
                        + ".log"));
            }
            try {
                HttpResponse<Void> response = http.send(HttpRequest.newBuilder(
                        URI.create(managementUrl(service) + "/q/health/ready")).timeout(Duration.ofSeconds(2)).build(),
                        HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            // Polling a process we do not control: a short pause between probes, bounded by the deadline.
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new IllegalStateException(service.module + " not ready within " + READY_WITHIN + "; see "
                + logs.resolve(service.module + ".log"));
    }

    private Map<String, String> environment(Service service) {
        Map<String, String> env = new HashMap<>();
        env.put("QUARKUS_HTTP_PORT", Integer.toString(ports.get(service)));
        env.put("QUARKUS_MANAGEMENT_PORT", Integer.toString(managementPorts.get(service)));
        env.put("QUARKUS_DATASOURCE_JDBC_URL", jdbcUrls.get(service));
        env.put("QUARKUS_DATASOURCE_USERNAME", postgres.user());
        env.put("QUARKUS_DATASOURCE_PASSWORD", postgres.password());
        env.put("KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
        env.put("MP_JWT_VERIFY_PUBLICKEY", TestTokens.publicKeyBase64());
        env.put("MP_JWT_VERIFY_ISSUER", TestTokens.ISSUER);
        env.put("PRIVACY_PSEUDONYM_SECRET", PSEUDONYM_SECRET);
        // The platform's key store, shared by every service (and by the tests' codec, which opens sealed fields).
        TestKeyStore.settings().forEach((name, value) -> env.put(
                name.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_"), value));
        env.put("PRIVACY_STORE_RETENTION_URL", url(Service.RETENTION));
        // Each service signs what it publishes with a key of its own (required in prod); the stores register as
        // themselves (role store, named after the system), with that key's public half.
        env.put("PRIVACY_EVENTS_SIGNING_KEY_FILE", signingKeys.get(service).toString());
        if (service != Service.RETENTION) {
            env.put("PRIVACY_STORE_TOKEN", TestTokens.store(service.module));
        }
        env.putAll(SystemTestSettings.forService(service));
        return env;
    }

    /** Stops every service and the broker, if they were started. */
    static synchronized void shutdown() {
        if (started != null) {
            started.stopServices();
            started.kafka.close();
            started = null;
        }
    }

    private void stopServices() {
        for (Service service : Service.values()) {
            stop(service);
        }
    }

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
