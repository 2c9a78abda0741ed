package io.privacyplatform.system;

import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Map;

import io.privacyplatform.system.PlatformProcesses.Service;

/** Per-service settings that make the system tests fast: short timeouts and sweeps instead of production's. */
final class SystemTestSettings {

    private static final String MAILER_PUBLIC_KEY = rsaPublicKey();

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

    static Map<String, String> forService(Service service) {
        return switch (service) {
            case CONSENT -> Map.of();
            // request-service seals verification codes for the mailer; no scenario opens one, any RSA key will do.
            case REQUEST -> Map.of("REQUESTS_MAILER_PUBLIC_KEY", MAILER_PUBLIC_KEY);
            // Scenarios run policies themselves (a scheduled run could take the window first); a store that is
            // down for a scenario is re-sent its command every ack timeout without being given up on.
            case RETENTION -> Map.of("RETENTION_POLICIES_CHECK_EVERY", "off", "RETENTION_COMMANDS_SWEEP_EVERY", "2s",
                    "RETENTION_COMMANDS_MAX_ATTEMPTS", "30");
            // The sampling key of mail-log-store's own tests: RetentionIT's pinned ids are MailSamplingTest's.
            case MAIL_LOG -> Map.of("PRIVACY_STORE_ACK_TIMEOUT", "PT5S", "MAIL_LOG_SAMPLING_SECRET",
                    "test-only-sampling-secret-7");
        };
    }
}
