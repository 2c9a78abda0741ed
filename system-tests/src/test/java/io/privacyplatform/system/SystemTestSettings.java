package io.privacyplatform.system;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Map;

import io.privacyplatform.system.PlatformProcesses.Service;

/** Per-service settings that make the system tests fast: short timeouts and sweeps instead of production's. */
final class SystemTestSettings {

    private static final String MAILER_PUBLIC_KEY = rsaPublicKey();
    // One key per service for the whole run: a restarted service must still sign (and verify) with the same key.
    private static final String RETENTION_KEYS = signingKeyDir("retention");
    private static final String REQUEST_KEYS = signingKeyDir("request");

    private SystemTestSettings() {
    }

    private static String rsaPublicKey() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return Base64.getEncoder().encodeToString(generator.generateKeyPair().getPublic().getEncoded());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A signing key directory, as a mounted secret would be: one fresh Ed25519 key {@code system-test}. */
    private static String signingKeyDir(String service) {
        try {
            Path dir = Files.createTempDirectory("system-test-" + service + "-keys");
            KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
            Files.writeString(dir.resolve("system-test.pem"), "-----BEGIN PRIVATE KEY-----\n"
                    + Base64.getMimeEncoder().encodeToString(pair.getPrivate().getEncoded())
                    + "\n-----END PRIVATE KEY-----\n");
            dir.toFile().deleteOnExit();
            dir.resolve("system-test.pem").toFile().deleteOnExit();
            return dir.toString();
        } catch (IOException | NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static Map<String, String> forService(Service service) {
        return switch (service) {
            // A withdrawal not applied by a consent subscriber within 10 s is overdue (ConsentPropagationIT), not 1 h.
            case CONSENT -> Map.of("CONSENT_PROPAGATION_WITHDRAWAL_DEADLINE", "PT10S",
                    "CONSENT_PROPAGATION_CHECK_EVERY", "1s");
            // request-service seals verification codes for the mailer; no scenario opens one, any RSA key will do.
            case REQUEST -> Map.of("REQUESTS_MAILER_PUBLIC_KEY", MAILER_PUBLIC_KEY,
                    "REQUESTS_AUDIT_KEYS_DIR", REQUEST_KEYS,
                    "REQUESTS_AUDIT_CURRENT_KEY_ID", "system-test");
            // Scenarios run policies themselves (a scheduled run could take the window first); a store that is
            // down for a scenario is re-sent its command every ack timeout without being given up on.
            case RETENTION -> Map.of("RETENTION_POLICIES_CHECK_EVERY", "off", "RETENTION_COMMANDS_SWEEP_EVERY", "2s",
                    "RETENTION_COMMANDS_MAX_ATTEMPTS", "30",
                    "RETENTION_CERTIFICATE_KEYS_DIR", RETENTION_KEYS,
                    "RETENTION_CERTIFICATE_CURRENT_KEY_ID", "system-test");
            // The sampling key of mail-log-store's own tests: RetentionIT's pinned ids are MailSamplingTest's.
            case MAIL_LOG -> Map.of("PRIVACY_STORE_ACK_TIMEOUT", "PT5S", "MAIL_LOG_SAMPLING_SECRET",
                    "test-only-sampling-secret-7");
        };
    }
}
