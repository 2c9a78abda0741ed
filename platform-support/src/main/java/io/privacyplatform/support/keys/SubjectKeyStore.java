package io.privacyplatform.support.keys;

import java.sql.SQLException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.agroal.api.AgroalDataSource;
import io.agroal.api.configuration.supplier.AgroalPropertiesReader;
import io.privacyplatform.events.keys.JdbcSubjectKeys;
import io.privacyplatform.events.keys.SubjectKeys;
import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.StartupEvent;

/**
 * The platform's key store as this service reaches it: privacy-events' {@link JdbcSubjectKeys} on a small connection
 * pool of its own ({@code privacy.keys.*}). Not the service's datasource: the keys live in a database every service
 * and store shares, and its connections never join the service's transactions (a key made for an event whose
 * transaction rolls back is merely unused; a key destroyed before a certificate's transaction failed stays destroyed,
 * and the retry finds it so). Required in prod; in dev and test without {@code privacy.keys.jdbc-url} nothing is
 * sealed (and a sealed event cannot be read).
 */
@ApplicationScoped
public class SubjectKeyStore {

    private static final Logger LOG = Logger.getLogger(SubjectKeyStore.class);

    @ConfigProperty(name = JdbcSubjectKeys.JDBC_URL)
    Optional<String> jdbcUrl;

    @ConfigProperty(name = JdbcSubjectKeys.USERNAME)
    Optional<String> username;

    @ConfigProperty(name = JdbcSubjectKeys.PASSWORD)
    Optional<String> password;

    @ConfigProperty(name = JdbcSubjectKeys.MASTER_KEY)
    Optional<String> masterKey;

    @ConfigProperty(name = JdbcSubjectKeys.MASTER_KEY_ID, defaultValue = JdbcSubjectKeys.DEFAULT_MASTER_KEY_ID)
    String masterKeyId;

    @ConfigProperty(name = JdbcSubjectKeys.RETIRED_MASTER_KEYS)
    Optional<String> retiredMasterKeys;

    /** How long an unwrapped key stays in memory: also how long another instance may use a key destroyed here. */
    @ConfigProperty(name = "privacy.keys.cache-ttl", defaultValue = "30s")
    Duration cacheTtl;

    @ConfigProperty(name = "privacy.keys.cache-entries", defaultValue = "10000")
    int cacheEntries;

    @ConfigProperty(name = "privacy.keys.pool-size", defaultValue = "4")
    int poolSize;

    /** A pooled connection idle this long is validated before use (a database restart breaks idle ones unseen). */
    @ConfigProperty(name = "privacy.keys.idle-validation", defaultValue = "1s")
    Duration idleValidation;

    private AgroalDataSource pool;
    private SubjectKeys keys;

    @PostConstruct
    void open() {
        if (jdbcUrl.isEmpty()) {
            if (LaunchMode.current() == LaunchMode.NORMAL) {
                throw new IllegalStateException(JdbcSubjectKeys.JDBC_URL + " is required: personal fields of events"
                        + " are sealed with the subjects' data keys from the platform's key store");
            }
            LOG.infof("no %s: personal fields of events travel in clear in this %s run", JdbcSubjectKeys.JDBC_URL,
                    LaunchMode.current().getDefaultProfile());
            return;
        }
        Map<String, String> settings = new HashMap<>();
        settings.put(JdbcSubjectKeys.MASTER_KEY_ID, masterKeyId);
        masterKey.ifPresent(value -> settings.put(JdbcSubjectKeys.MASTER_KEY, value));
        retiredMasterKeys.ifPresent(value -> settings.put(JdbcSubjectKeys.RETIRED_MASTER_KEYS, value));
        Map<String, String> poolSettings = new HashMap<>();
        poolSettings.put(AgroalPropertiesReader.JDBC_URL, jdbcUrl.get());
        poolSettings.put(AgroalPropertiesReader.PROVIDER_CLASS_NAME, "org.postgresql.Driver");
        username.ifPresent(value -> poolSettings.put(AgroalPropertiesReader.PRINCIPAL, value));
        password.ifPresent(value -> poolSettings.put(AgroalPropertiesReader.CREDENTIAL, value));
        poolSettings.put(AgroalPropertiesReader.MAX_SIZE, Integer.toString(poolSize));
        poolSettings.put(AgroalPropertiesReader.ACQUISITION_TIMEOUT_S, "10");
        // After a restart of the database every pooled connection is broken, and a pool built by hand keeps them
        // (ScaleOutIT: "the key store cannot be reached" for as long as the service ran). A connection that failed
        // with a fatal state leaves the pool instead of going back into it, and one idle for idleValidation (a
        // restart takes longer) is checked before it is handed out; busy connections are not checked, so the hot
        // path pays nothing. One lost while in use is JdbcSubjectKeys' second try.
        poolSettings.put(AgroalPropertiesReader.EXCEPTION_SORTER, "PostgreSQL");
        poolSettings.put(AgroalPropertiesReader.CONNECTION_VALIDATOR, "default");
        poolSettings.put(AgroalPropertiesReader.IDLE_VALIDATION_MS, Long.toString(idleValidation.toMillis()));
        try {
            pool = AgroalDataSource.from(new AgroalPropertiesReader().readProperties(poolSettings));
        } catch (SQLException e) {
            throw new IllegalStateException("cannot open the key store's connection pool", e);
        }
        keys = new JdbcSubjectKeys(pool::getConnection, JdbcSubjectKeys.masterKeyOf(settings),
                JdbcSubjectKeys.retiredMasterKeysOf(settings), cacheEntries, cacheTtl);
    }

    /** Opens the key store when the service starts, so a prod service without one fails then, not at its first event. */
    void onStart(@Observes StartupEvent event) {
        keys();
    }

    /** The key store; empty only in dev and test runs without one. */
    public Optional<SubjectKeys> keys() {
        return Optional.ofNullable(keys);
    }

    @PreDestroy
    void close() {
        if (pool != null) {
            pool.close();
        }
    }
}
