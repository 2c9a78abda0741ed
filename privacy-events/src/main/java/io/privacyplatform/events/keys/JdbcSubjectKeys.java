package io.privacyplatform.events.keys;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import javax.crypto.KeyGenerator;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.privacyplatform.events.InvalidEventException;

/**
 * The key store: PostgreSQL table {@code privacy_keys.subject_key} (see {@code subject_keys.sql}), each data key
 * wrapped by the {@link MasterKey}. Every service and every store that seals or opens personal data reaches the same
 * database; the master key is a secret they share. Unwrapped keys are cached briefly ({@link UnwrappedKeyCache}) for
 * decryption; which key is live is read from the table on every encryption.
 * <p>
 * Settings ({@link #fromSettings}), the same names for the services' configuration and a plain-Java store:
 * {@value #JDBC_URL}, {@value #USERNAME}, {@value #PASSWORD}, {@value #MASTER_KEY} (base64 of 32 bytes),
 * {@value #MASTER_KEY_ID}, {@value #RETIRED_MASTER_KEYS} ({@code id=base64,…}: keys being rotated away from).
 */
public final class JdbcSubjectKeys implements SubjectKeys {

    public static final String JDBC_URL = "privacy.keys.jdbc-url";
    public static final String USERNAME = "privacy.keys.username";
    public static final String PASSWORD = "privacy.keys.password";
    public static final String MASTER_KEY = "privacy.keys.master-key";
    public static final String MASTER_KEY_ID = "privacy.keys.master-key-id";
    public static final String RETIRED_MASTER_KEYS = "privacy.keys.retired-master-keys";
    public static final String DEFAULT_MASTER_KEY_ID = "master-1";

    /** Short: it is also how long another process may still use a key destroyed here. */
    public static final Duration DEFAULT_CACHE_TTL = Duration.ofSeconds(30);
    public static final int DEFAULT_CACHE_ENTRIES = 10_000;

    private static final Logger LOG = LoggerFactory.getLogger(JdbcSubjectKeys.class);
    private static final String SCHEMA_RESOURCE = "subject_keys.sql";
    private static final long SCHEMA_LOCK = 0x6b657973L; // "keys"
    /** admin_shutdown, crash_shutdown: the server ended the session (it stops, or restarts after a crash). */
    private static final Set<String> LOST_BY_SHUTDOWN = Set.of("57P01", "57P02");

    /** Where connections come from: a pool's DataSource, or the driver manager for a plain JDBC URL. */
    @FunctionalInterface
    public interface Connections {
        Connection open() throws SQLException;
    }

    private record Subject(String tenantId, String subjectRef) {
    }

    private final Connections connections;
    private final MasterKey master;
    private final Map<String, MasterKey> unwrapping = new HashMap<>();
    private final UnwrappedKeyCache<String> byId;
    private volatile boolean schemaChecked;

    public JdbcSubjectKeys(DataSource dataSource, MasterKey master) {
        this(dataSource::getConnection, master, List.of(), DEFAULT_CACHE_ENTRIES, DEFAULT_CACHE_TTL);
    }

    /**
     * @param retired master keys that may still have wrapped some keys (a rotation in progress)
     * @param cacheEntries at most this many unwrapped keys in memory (0: none)
     * @param cacheTtl each for at most this long
     */
    public JdbcSubjectKeys(Connections connections, MasterKey master, List<MasterKey> retired, int cacheEntries,
            Duration cacheTtl) {
        this.connections = Objects.requireNonNull(connections, "connections");
        this.master = Objects.requireNonNull(master, "master key");
        retired.forEach(key -> unwrapping.put(key.id(), key));
        unwrapping.put(master.id(), master);
        this.byId = new UnwrappedKeyCache<>(cacheEntries, cacheTtl);
    }

    /** A key store from the settings named above, connecting through the JDBC driver on the class path. */
    public static JdbcSubjectKeys fromSettings(Map<String, String> settings) {
        return fromSettings(settings, DEFAULT_CACHE_ENTRIES, DEFAULT_CACHE_TTL);
    }

    /** {@link #fromSettings(Map)} with its own cache bounds (0 entries: every lookup asks the key store). */
    public static JdbcSubjectKeys fromSettings(Map<String, String> settings, int cacheEntries, Duration cacheTtl) {
        String url = required(settings, JDBC_URL);
        Properties login = new Properties();
        for (String[] setting : new String[][] {{USERNAME, "user"}, {PASSWORD, "password"}}) {
            String value = settings.get(setting[0]);
            if (value != null && !value.isEmpty()) {
                login.setProperty(setting[1], value);
            }
        }
        return new JdbcSubjectKeys(() -> DriverManager.getConnection(url, login), masterKeyOf(settings),
                retiredMasterKeysOf(settings), cacheEntries, cacheTtl);
    }

    /** The current master key named by the settings. */
    public static MasterKey masterKeyOf(Map<String, String> settings) {
        return MasterKey.fromBase64(settings.getOrDefault(MASTER_KEY_ID, DEFAULT_MASTER_KEY_ID),
                required(settings, MASTER_KEY));
    }

    /** The retired master keys named by the settings ({@code id=base64,…}), none when absent. */
    public static List<MasterKey> retiredMasterKeysOf(Map<String, String> settings) {
        String value = settings.getOrDefault(RETIRED_MASTER_KEYS, "").trim();
        if (value.isEmpty()) {
            return List.of();
        }
        return Arrays.stream(value.split(",")).map(String::trim).map(pair -> {
            int at = pair.indexOf('=');
            if (at < 1) {
                throw new IllegalArgumentException(RETIRED_MASTER_KEYS + " must be id=base64,…");
            }
            return MasterKey.fromBase64(pair.substring(0, at), pair.substring(at + 1));
        }).toList();
    }

    /**
     * Always asks the key store which key is live (one indexed read; the unwrapping is cached): a writer must never
     * seal with a key another process destroyed a moment ago, or what it writes right after an erasure (the notice
     * to the requester that it is done) would be born unreadable.
     */
    @Override
    public DataKey forEncryption(String tenantId, String subjectRef) {
        Subject subject = new Subject(requireText(tenantId, "tenantId"), requireText(subjectRef, "subjectRef"));
        DataKey key = withConnection(connection -> {
            DataKey live = findLive(connection, subject);
            return live != null ? live : create(connection, subject);
        });
        byId.put(key.keyId(), key);
        return key;
    }

    @Override
    public DataKey forDecryption(String keyId) {
        requireText(keyId, "keyId");
        DataKey cached = byId.get(keyId);
        if (cached != null) {
            return cached;
        }
        DataKey key = withConnection(connection -> {
            try (PreparedStatement select = connection.prepareStatement("""
                    SELECT tenant_id, subject_ref, wrapped_key, master_key_id, destroyed_at
                      FROM privacy_keys.subject_key WHERE key_id = ?""")) {
                select.setString(1, keyId);
                try (ResultSet row = select.executeQuery()) {
                    if (!row.next()) {
                        throw new InvalidEventException("no data key " + keyId + " in the key store");
                    }
                    Timestamp destroyedAt = row.getTimestamp("destroyed_at");
                    if (destroyedAt != null) {
                        throw new SubjectErasedException(keyId, destroyedAt.toInstant());
                    }
                    return unwrap(keyId, new Subject(row.getString("tenant_id"), row.getString("subject_ref")),
                            row.getBytes("wrapped_key"), row.getString("master_key_id"));
                }
            }
        });
        byId.put(keyId, key);
        return key;
    }

    @Override
    public List<DestroyedKey> destroy(String tenantId, String subjectRef) {
        Subject subject = new Subject(requireText(tenantId, "tenantId"), requireText(subjectRef, "subjectRef"));
        List<DestroyedKey> destroyed = withConnection(connection -> {
            List<DestroyedKey> found = new ArrayList<>();
            try (PreparedStatement update = connection.prepareStatement("""
                    UPDATE privacy_keys.subject_key SET wrapped_key = NULL, destroyed_at = now()
                     WHERE tenant_id = ? AND subject_ref = ? AND destroyed_at IS NULL""")) {
                update.setString(1, subject.tenantId());
                update.setString(2, subject.subjectRef());
                update.executeUpdate();
            }
            try (PreparedStatement select = connection.prepareStatement("""
                    SELECT key_id, destroyed_at FROM privacy_keys.subject_key
                     WHERE tenant_id = ? AND subject_ref = ? AND destroyed_at IS NOT NULL
                     ORDER BY destroyed_at, key_id""")) {
                select.setString(1, subject.tenantId());
                select.setString(2, subject.subjectRef());
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        found.add(new DestroyedKey(rows.getString(1), rows.getTimestamp(2).toInstant()));
                    }
                }
            }
            return found;
        });
        // This process forgets them at once; others within the cache's time to live.
        Set<String> ids = destroyed.stream().map(DestroyedKey::keyId).collect(Collectors.toSet());
        byId.invalidate(key -> ids.contains(key.keyId()));
        LOG.info("destroyed the data keys {} of a subject of tenant {}", ids, subject.tenantId());
        return List.copyOf(destroyed);
    }

    /**
     * The master key's rotation: wraps every live key wrapped by a retired master key again with the current one.
     * Once it answered 0 (and backups of the key store older than that have expired), the retired master key can be
     * destroyed. Answers how many keys were wrapped again.
     */
    public int rewrap() {
        return withConnection(connection -> {
            connection.setAutoCommit(false);
            int rewrapped = 0;
            try (PreparedStatement select = connection.prepareStatement("""
                    SELECT key_id, tenant_id, subject_ref, wrapped_key, master_key_id FROM privacy_keys.subject_key
                     WHERE destroyed_at IS NULL AND master_key_id <> ? FOR UPDATE""");
                    PreparedStatement update = connection.prepareStatement(
                            "UPDATE privacy_keys.subject_key SET wrapped_key = ?, master_key_id = ? WHERE key_id = ?")) {
                select.setString(1, master.id());
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        String keyId = rows.getString("key_id");
                        Subject subject = new Subject(rows.getString("tenant_id"), rows.getString("subject_ref"));
                        DataKey key = unwrap(keyId, subject, rows.getBytes("wrapped_key"),
                                rows.getString("master_key_id"));
                        update.setBytes(1, master.wrap(key.key().getEncoded(), wrapContext(keyId, subject)));
                        update.setString(2, master.id());
                        update.setString(3, keyId);
                        update.executeUpdate();
                        rewrapped++;
                    }
                }
                connection.commit();
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            }
            return rewrapped;
        });
    }

    /** Work on one connection of the key store. */
    @FunctionalInterface
    private interface Work<T> {
        T on(Connection connection) throws SQLException;
    }

    /**
     * Runs {@code work} on a connection, once more on a new one when the first turned out to be lost (SQL state
     * class 08, or 57P01/57P02: the server shut the connection down, stopping or crashing; the database restarted or
     * the network dropped it) while the work ran. A pool should validate what it hands out after an idle time and
     * drop a connection that failed so (platform-support's SubjectKeyStore does); a connection lost in use is this
     * second try's. Every piece of work here is a read, or an update that is the same when done twice; a failure that
     * is not a lost connection is not repeated.
     */
    private <T> T withConnection(Work<T> work) {
        SQLException lost = null;
        for (int attempt = 1; attempt <= 2; attempt++) {
            try (Connection connection = open()) {
                return work.on(connection);
            } catch (SQLException e) {
                if (!connectionLost(e)) {
                    throw new IllegalStateException("the key store cannot be reached", e);
                }
                lost = e;
            }
        }
        throw new IllegalStateException("the key store cannot be reached", lost);
    }

    static boolean connectionLost(SQLException e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql && sql.getSQLState() != null && (sql.getSQLState().startsWith("08")
                    || LOST_BY_SHUTDOWN.contains(sql.getSQLState()))) {
                return true;
            }
        }
        return false;
    }

    private DataKey findLive(Connection connection, Subject subject) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("""
                SELECT key_id, wrapped_key, master_key_id FROM privacy_keys.subject_key
                 WHERE tenant_id = ? AND subject_ref = ? AND destroyed_at IS NULL""")) {
            select.setString(1, subject.tenantId());
            select.setString(2, subject.subjectRef());
            try (ResultSet row = select.executeQuery()) {
                if (!row.next()) {
                    return null;
                }
                DataKey cached = byId.get(row.getString(1));
                return cached != null ? cached : unwrap(row.getString(1), subject, row.getBytes(2), row.getString(3));
            }
        }
    }

    /** A new key; if another process made the subject's key meanwhile (the unique live index), that one. */
    private DataKey create(Connection connection, Subject subject) throws SQLException {
        String keyId = UUID.randomUUID().toString();
        SecretKey secret = newAesKey();
        try (PreparedStatement insert = connection.prepareStatement("""
                INSERT INTO privacy_keys.subject_key (key_id, tenant_id, subject_ref, wrapped_key, master_key_id)
                VALUES (?, ?, ?, ?, ?)
                ON CONFLICT (tenant_id, subject_ref) WHERE destroyed_at IS NULL DO NOTHING""")) {
            insert.setString(1, keyId);
            insert.setString(2, subject.tenantId());
            insert.setString(3, subject.subjectRef());
            insert.setBytes(4, master.wrap(secret.getEncoded(), wrapContext(keyId, subject)));
            insert.setString(5, master.id());
            if (insert.executeUpdate() == 1) {
                return new DataKey(keyId, secret);
            }
        }
        DataKey other = findLive(connection, subject);
        if (other == null) {
            throw new IllegalStateException("the subject's key was made and destroyed at once; try again");
        }
        return other;
    }

    private DataKey unwrap(String keyId, Subject subject, byte[] wrapped, String masterKeyId) {
        MasterKey wrapper = unwrapping.get(masterKeyId);
        if (wrapper == null) {
            throw new IllegalStateException("data key " + keyId + " is wrapped by master key " + masterKeyId
                    + ", which this process does not have (" + RETIRED_MASTER_KEYS + ")");
        }
        return new DataKey(keyId, new SecretKeySpec(wrapper.unwrap(wrapped, wrapContext(keyId, subject)), "AES"));
    }

    /** Binds a wrapped key to its row: copied onto another key id or subject, it does not unwrap. */
    private static String wrapContext(String keyId, Subject subject) {
        return "privacy-subject-key\n" + keyId + "\n" + subject.tenantId() + "\n" + subject.subjectRef();
    }

    private Connection open() throws SQLException {
        Connection connection = connections.open();
        if (!schemaChecked) {
            try {
                ensureSchema(connection);
            } catch (SQLException | RuntimeException e) {
                connection.close();
                throw e;
            }
            schemaChecked = true;
        }
        return connection;
    }

    /** Creates the table when it is missing, once across processes (advisory lock); needs no rights otherwise. */
    private static void ensureSchema(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet exists = statement.executeQuery("SELECT to_regclass('privacy_keys.subject_key')")) {
            if (exists.next() && exists.getString(1) != null) {
                return;
            }
        }
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false);
        try (Statement statement = connection.createStatement()) {
            statement.execute("SELECT pg_advisory_xact_lock(" + SCHEMA_LOCK + ")");
            statement.execute(schemaSql());
            connection.commit();
        } catch (SQLException | RuntimeException e) {
            connection.rollback();
            throw e;
        } finally {
            connection.setAutoCommit(autoCommit);
        }
    }

    private static String schemaSql() {
        try (InputStream in = JdbcSubjectKeys.class.getResourceAsStream(SCHEMA_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(SCHEMA_RESOURCE + " is missing from the class path");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + SCHEMA_RESOURCE, e);
        }
    }

    private static SecretKey newAesKey() {
        try {
            KeyGenerator generator = KeyGenerator.getInstance("AES");
            generator.init(256);
            return generator.generateKey();
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("AES is not available", e);
        }
    }

    private static String required(Map<String, String> settings, String name) {
        String value = settings.get(name);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " is required");
        }
        return value;
    }

    private static String requireText(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " is required");
        }
        return value;
    }
}
