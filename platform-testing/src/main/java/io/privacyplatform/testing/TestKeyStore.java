package io.privacyplatform.testing;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

/**
 * The platform's key store under test: one fresh database per test JVM, shared by the service under test, its test
 * fixtures and every process the system tests start, as production shares one key store between services and stores.
 * The settings use privacy-events' names ({@code JdbcSubjectKeys}; this module knows no event contract), and the
 * master key is a fixed test secret.
 */
public final class TestKeyStore {

    /** base64 of 32 bytes; a test secret, published here on purpose. */
    public static final String MASTER_KEY = Base64.getEncoder()
            .encodeToString("privacy-platform-test-master-key".getBytes(StandardCharsets.US_ASCII));

    private static Map<String, String> settings;

    private TestKeyStore() {
    }

    /** {@code privacy.keys.*} of this JVM's key store; its database is made on the first call. */
    public static synchronized Map<String, String> settings() {
        if (settings == null) {
            PostgresTestServer postgres = PostgresTestServer.shared();
            settings = Map.of(
                    "privacy.keys.jdbc-url", postgres.jdbcUrl(postgres.createDatabase("privacy_keys")),
                    "privacy.keys.username", postgres.user(),
                    "privacy.keys.password", postgres.password(),
                    "privacy.keys.master-key", MASTER_KEY);
        }
        return settings;
    }
}
