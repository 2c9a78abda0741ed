package io.privacyplatform.testing;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Everything a service needs under test, for real: the in-process KRaft broker with the topics (and their
 * dead-letter topics) created up front, a fresh PostgreSQL database of its own, the platform's key store
 * ({@link TestKeyStore}) and the verification key of {@link TestTokens}. Init args: {@code topics},
 * comma-separated (e.g. {@code Topics.ALL}); {@code database}, the prefix of the database name (default {@code service}).
 */
public class PlatformTestResource implements QuarkusTestResourceLifecycleManager {

    public static final String DEAD_LETTER_SUFFIX = ".dlq";

    private static KafkaTestCluster kafka;
    private static String jdbcUrl;
    private String databasePrefix = "service";
    private List<String> topics = List.of();

    @Override
    public void init(Map<String, String> initArgs) {
        databasePrefix = initArgs.getOrDefault("database", databasePrefix);
        String names = initArgs.getOrDefault("topics", "");
        topics = names.isBlank() ? List.of() : Arrays.stream(names.split(",")).map(String::trim).toList();
    }

    @Override
    public Map<String, String> start() {
        KafkaTestCluster cluster = startKafka();
        PostgresTestServer postgres = PostgresTestServer.shared();
        String database = postgres.createDatabase(databasePrefix);
        jdbcUrl = postgres.jdbcUrl(database);
        Map<String, String> config = new HashMap<>(TestKeyStore.settings());
        config.putAll(Map.of(
                "kafka.bootstrap.servers", cluster.bootstrapServers(),
                "quarkus.datasource.jdbc.url", jdbcUrl,
                "quarkus.datasource.username", postgres.user(),
                "quarkus.datasource.password", postgres.password(),
                "mp.jwt.verify.publickey", TestTokens.publicKeyBase64(),
                "mp.jwt.verify.issuer", TestTokens.ISSUER));
        return config;
    }

    private synchronized KafkaTestCluster startKafka() {
        if (kafka == null) {
            kafka = KafkaTestCluster.start();
        }
        kafka.createTopics(topics, 3);
        List<String> deadLetters = new ArrayList<>();
        topics.forEach(t -> deadLetters.add(t + DEAD_LETTER_SUFFIX));
        kafka.createTopics(deadLetters, 1);
        return kafka;
    }

    @Override
    public synchronized void stop() {
        // Called after the application stopped: closing the broker here, not in a JVM shutdown hook, keeps its
        // shutdown from racing the JVM's exit.
        if (kafka != null) {
            kafka.close();
            kafka = null;
        }
    }

    /** The broker of the application under test. */
    public static synchronized KafkaTestCluster kafka() {
        if (kafka == null) {
            throw new IllegalStateException("the broker starts with the first @QuarkusTest");
        }
        return kafka;
    }

    /** The JDBC URL of the database made for the application under test. */
    public static String jdbcUrl() {
        return jdbcUrl;
    }
}
