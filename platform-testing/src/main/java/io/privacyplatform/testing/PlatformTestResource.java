package io.privacyplatform.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.privacyplatform.events.Topics;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Everything a service needs under test, for real: the in-process KRaft broker with every platform topic and its
 * dead-letter topic created up front, a fresh PostgreSQL database of its own, and the verification key of
 * {@link TestTokens}. Init arg {@code database}: prefix of the database name (default {@code service}).
 */
public class PlatformTestResource implements QuarkusTestResourceLifecycleManager {

    private static KafkaTestCluster kafka;
    private static String jdbcUrl;
    private String databasePrefix = "service";

    @Override
    public void init(Map<String, String> initArgs) {
        databasePrefix = initArgs.getOrDefault("database", databasePrefix);
    }

    @Override
    public Map<String, String> start() {
        KafkaTestCluster cluster = kafka();
        PostgresTestServer postgres = PostgresTestServer.shared();
        String database = postgres.createDatabase(databasePrefix);
        jdbcUrl = postgres.jdbcUrl(database);
        return Map.of(
                "kafka.bootstrap.servers", cluster.bootstrapServers(),
                "quarkus.datasource.jdbc.url", jdbcUrl,
                "quarkus.datasource.username", postgres.user(),
                "quarkus.datasource.password", postgres.password(),
                "mp.jwt.verify.publickey", TestTokens.publicKeyBase64(),
                "mp.jwt.verify.issuer", TestTokens.ISSUER);
    }

    @Override
    public void stop() {
        // The broker and server live as long as the JVM: Quarkus may restart the application between test
        // profiles, and a second broker start would cost seconds for nothing.
    }

    /** The broker of this JVM, started (with all topics) on first use. */
    public static synchronized KafkaTestCluster kafka() {
        if (kafka == null) {
            kafka = KafkaTestCluster.start();
            kafka.createTopics(Topics.all(), 3);
            List<String> deadLetters = new ArrayList<>();
            Topics.all().forEach(t -> deadLetters.add(Topics.deadLetterOf(t)));
            kafka.createTopics(deadLetters, 1);
            KafkaTestCluster started = kafka;
            Runtime.getRuntime().addShutdownHook(new Thread(started::close, "kafka-test-cluster-stop"));
        }
        return kafka;
    }

    /** The JDBC URL of the database made for the application under test. */
    public static String jdbcUrl() {
        return jdbcUrl;
    }
}
