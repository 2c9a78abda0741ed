package io.privacyplatform.support.keys;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.privacyplatform.events.keys.JdbcSubjectKeys;
import io.privacyplatform.events.keys.SubjectKeys;
import io.privacyplatform.testing.TestKeyStore;

/**
 * The key store's own connection pool after its database lost every connection (a restart of PostgreSQL, here
 * {@code pg_terminate_backend} of each, which is what the pool sees of a restart): the next callers get their keys,
 * none fails. ScaleOutIT's PostgreSQL crash found the pool keeping its broken connections: every request that sealed
 * an event failed with "the key store cannot be reached" for as long as the service ran.
 */
class SubjectKeyStoreTest {

    private static final Map<String, String> SETTINGS = TestKeyStore.settings();
    /** Names this test's pool in pg_stat_activity, so only its connections are cut. */
    private final String application = "key-store-test-" + UUID.randomUUID();
    private final SubjectKeyStore store = new SubjectKeyStore();

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void shouldGiveKeysAgainAfterTheKeyStoreLostEveryConnection() throws Exception {
        open(store);
        SubjectKeys keys = store.keys().orElseThrow();
        String tenant = "t-" + UUID.randomUUID();
        String annKey = keys.forEncryption(tenant, "ann").keyId();
        fillPool(keys, tenant);
        assertThat(poolConnections()).as("connections of the pool before the cut").isGreaterThan(1);

        assertThat(terminatePoolConnections()).isGreaterThan(1);

        // Each of the pool's idle connections is broken now; the first caller meets one, and still gets its key.
        assertThat(keys.forEncryption(tenant, "ann").keyId()).isEqualTo(annKey);
        assertThat(keys.forEncryption(tenant, "bob").keyId()).isNotEqualTo(annKey);
        List<String> again = IntStream.range(0, 8).parallel()
                .mapToObj(i -> keys.forEncryption(tenant, "ann").keyId()).toList();
        assertThat(again).containsOnly(annKey);
    }

    private void open(SubjectKeyStore keyStore) {
        keyStore.jdbcUrl = Optional.of(SETTINGS.get(JdbcSubjectKeys.JDBC_URL) + "?ApplicationName=" + application);
        keyStore.username = Optional.of(SETTINGS.get(JdbcSubjectKeys.USERNAME));
        keyStore.password = Optional.ofNullable(SETTINGS.get(JdbcSubjectKeys.PASSWORD));
        keyStore.masterKey = Optional.of(SETTINGS.get(JdbcSubjectKeys.MASTER_KEY));
        keyStore.masterKeyId = JdbcSubjectKeys.DEFAULT_MASTER_KEY_ID;
        keyStore.retiredMasterKeys = Optional.empty();
        keyStore.cacheTtl = Duration.ofSeconds(30);
        keyStore.cacheEntries = 100;
        keyStore.poolSize = 4;
        // Every connection counts as idle: what the pool sees after a restart, which takes longer than the default.
        keyStore.idleValidation = Duration.ofMillis(1);
        keyStore.open();
    }

    /** Four callers at once, each holding its connection until all have one: the pool opens four. */
    private void fillPool(SubjectKeys keys, String tenant) {
        CountDownLatch together = new CountDownLatch(4);
        List<CompletableFuture<String>> callers = IntStream.range(0, 4).mapToObj(i -> CompletableFuture.supplyAsync(
                () -> {
                    together.countDown();
                    try {
                        together.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return keys.forEncryption(tenant, "subject-" + i).keyId();
                })).toList();
        callers.forEach(CompletableFuture::join);
    }

    private long poolConnections() throws SQLException {
        return query("SELECT count(*) FROM pg_stat_activity WHERE application_name = ?");
    }

    private long terminatePoolConnections() throws SQLException {
        return query("SELECT count(*) FILTER (WHERE pg_terminate_backend(pid)) FROM pg_stat_activity"
                + " WHERE application_name = ?");
    }

    private long query(String sql) throws SQLException {
        try (Connection connection = DriverManager.getConnection(SETTINGS.get(JdbcSubjectKeys.JDBC_URL),
                SETTINGS.get(JdbcSubjectKeys.USERNAME), SETTINGS.get(JdbcSubjectKeys.PASSWORD));
                PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, application);
            try (ResultSet result = statement.executeQuery()) {
                result.next();
                return result.getLong(1);
            }
        }
    }
}
