package io.privacyplatform.events.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.privacyplatform.events.InvalidEventException;
import io.privacyplatform.testing.TestKeyStore;

/** The key store on a real PostgreSQL: create-or-get, destroy (idempotent, and at once for this process), rotation. */
class JdbcSubjectKeysTest {

    private static final Map<String, String> SETTINGS = TestKeyStore.settings();
    private final JdbcSubjectKeys keys = JdbcSubjectKeys.fromSettings(SETTINGS);
    private final String tenant = "t-" + UUID.randomUUID();

    @Test
    void shouldMakeOneKeyPerSubjectAndGiveItBackForDecryption() {
        DataKey ann = keys.forEncryption(tenant, "ann");
        assertThat(keys.forEncryption(tenant, "ann")).isEqualTo(ann);
        // Another process (no shared cache) finds the same key in the table, unwrapped with the same master key.
        JdbcSubjectKeys other = JdbcSubjectKeys.fromSettings(SETTINGS);
        assertThat(other.forEncryption(tenant, "ann").keyId()).isEqualTo(ann.keyId());
        assertThat(other.forDecryption(ann.keyId()).key().getEncoded()).isEqualTo(ann.key().getEncoded());
        assertThat(keys.forEncryption(tenant, "bob").keyId()).isNotEqualTo(ann.keyId());
        assertThat(ann.toString()).doesNotContain(Base64.getEncoder().encodeToString(ann.key().getEncoded()));
    }

    @Test
    void shouldMakeTheSameKeyForConcurrentFirstUses() throws Exception {
        List<JdbcSubjectKeys> processes = List.of(JdbcSubjectKeys.fromSettings(SETTINGS),
                JdbcSubjectKeys.fromSettings(SETTINGS), JdbcSubjectKeys.fromSettings(SETTINGS));
        List<String> ids = processes.parallelStream().map(p -> p.forEncryption(tenant, "cat").keyId()).toList();
        assertThat(ids).containsOnly(ids.get(0));
    }

    @Test
    void shouldDestroyEveryKeyOfTheSubjectAndAnswerTheSameOnARepeat() {
        DataKey ann = keys.forEncryption(tenant, "ann");
        DataKey bob = keys.forEncryption(tenant, "bob");
        keys.forDecryption(ann.keyId()); // cached now: a destroy must still take effect at once

        List<DestroyedKey> destroyed = keys.destroy(tenant, "ann");
        assertThat(destroyed).extracting(DestroyedKey::keyId).containsExactly(ann.keyId());
        assertThat(keys.destroy(tenant, "ann")).isEqualTo(destroyed);
        assertThatThrownBy(() -> keys.forDecryption(ann.keyId())).isInstanceOf(SubjectErasedException.class)
                .hasMessageContaining(ann.keyId());
        assertThatThrownBy(() -> JdbcSubjectKeys.fromSettings(SETTINGS).forDecryption(ann.keyId()))
                .isInstanceOf(SubjectErasedException.class);
        assertThat(keys.forDecryption(bob.keyId()).key().getEncoded()).isEqualTo(bob.key().getEncoded());

        // What is written about the subject afterwards is new data, under a new key.
        DataKey later = keys.forEncryption(tenant, "ann");
        assertThat(later.keyId()).isNotEqualTo(ann.keyId());
        assertThat(rows("SELECT count(*) FROM privacy_keys.subject_key WHERE key_id = ? AND wrapped_key IS NULL"
                + " AND destroyed_at IS NOT NULL", ann.keyId())).isEqualTo(1);
    }

    @Test
    void shouldRefuseAWrappedKeyCopiedOntoAnotherSubject() {
        DataKey ann = keys.forEncryption(tenant, "ann");
        DataKey bob = keys.forEncryption(tenant, "bob");
        execute("UPDATE privacy_keys.subject_key SET wrapped_key = (SELECT wrapped_key FROM privacy_keys.subject_key"
                + " WHERE key_id = ?) WHERE key_id = ?", ann.keyId(), bob.keyId());
        assertThatThrownBy(() -> JdbcSubjectKeys.fromSettings(SETTINGS).forDecryption(bob.keyId()))
                .isInstanceOf(InvalidEventException.class).hasMessageContaining("does not open");
        assertThatThrownBy(() -> keys.forDecryption("no-such-key")).isInstanceOf(InvalidEventException.class);
        keys.destroy(tenant, "bob"); // no unreadable live key left behind for the rotation test
    }

    @Test
    void shouldRewrapLiveKeysWithANewMasterKeyDuringARotation() {
        DataKey ann = keys.forEncryption(tenant, "ann");
        String newMaster = Base64.getEncoder().encodeToString(
                "a-new-master-key-32-bytes-long!!".getBytes(StandardCharsets.US_ASCII));
        Map<String, String> rotating = new HashMap<>(SETTINGS);
        rotating.put(JdbcSubjectKeys.MASTER_KEY_ID, "master-2");
        rotating.put(JdbcSubjectKeys.MASTER_KEY, newMaster);
        rotating.put(JdbcSubjectKeys.RETIRED_MASTER_KEYS, JdbcSubjectKeys.DEFAULT_MASTER_KEY_ID + "="
                + SETTINGS.get(JdbcSubjectKeys.MASTER_KEY));
        JdbcSubjectKeys rotated = JdbcSubjectKeys.fromSettings(rotating);
        assertThat(rotated.rewrap()).isPositive();
        assertThat(rotated.rewrap()).isZero();

        Map<String, String> newOnly = new HashMap<>(SETTINGS);
        newOnly.put(JdbcSubjectKeys.MASTER_KEY_ID, "master-2");
        newOnly.put(JdbcSubjectKeys.MASTER_KEY, newMaster);
        assertThat(JdbcSubjectKeys.fromSettings(newOnly).forDecryption(ann.keyId()).key().getEncoded())
                .isEqualTo(ann.key().getEncoded());
        // Back to the shared master key, so the other tests of this JVM keep reading their keys.
        rotating.put(JdbcSubjectKeys.MASTER_KEY_ID, JdbcSubjectKeys.DEFAULT_MASTER_KEY_ID);
        rotating.put(JdbcSubjectKeys.MASTER_KEY, SETTINGS.get(JdbcSubjectKeys.MASTER_KEY));
        rotating.put(JdbcSubjectKeys.RETIRED_MASTER_KEYS, "master-2=" + newMaster);
        assertThat(JdbcSubjectKeys.fromSettings(rotating).rewrap()).isPositive();
    }

    @Test
    void shouldSealBoundToItsContext() {
        DataKey ann = keys.forEncryption(tenant, "ann");
        String sealed = SubjectSeal.seal(ann, "ann@example.com".getBytes(StandardCharsets.UTF_8), "row-1");
        assertThat(sealed).startsWith(SubjectSeal.PREFIX).doesNotContain("ann@example.com").doesNotContain("\0");
        assertThat(sealed).hasSize(SubjectSeal.sealedLength("ann@example.com".length()));
        assertThat(new String(SubjectSeal.open(ann, sealed, "row-1"), StandardCharsets.UTF_8))
                .isEqualTo("ann@example.com");
        assertThatThrownBy(() -> SubjectSeal.open(ann, sealed, "row-2")).isInstanceOf(InvalidEventException.class);
        assertThat(SubjectSeal.seal(ann, new byte[0], "x")).isNotEqualTo(SubjectSeal.seal(ann, new byte[0], "x"));
    }

    private static long rows(String sql, String param) {
        try (Connection connection = connect(); PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, param);
            try (var result = statement.executeQuery()) {
                result.next();
                return result.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void execute(String sql, String... params) {
        try (Connection connection = connect(); PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                statement.setString(i + 1, params[i]);
            }
            statement.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Connection connect() throws SQLException {
        return DriverManager.getConnection(SETTINGS.get(JdbcSubjectKeys.JDBC_URL),
                SETTINGS.get(JdbcSubjectKeys.USERNAME), SETTINGS.get(JdbcSubjectKeys.PASSWORD));
    }
}
