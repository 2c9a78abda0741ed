package io.privacyplatform.system;

import java.util.Map;

import io.privacyplatform.system.PlatformProcesses.Service;

/** Per-service settings that make the system tests fast: short timeouts and sweeps instead of production's. */
final class SystemTestSettings {

    private SystemTestSettings() {
    }

    static Map<String, String> forService(Service service) {
        return switch (service) {
            case CONSENT -> Map.of("CONSENT_UNSUBSCRIBE_SECRET", "system-test-unsubscribe-secret-0123456789");
            case REQUEST -> Map.of();
            case RETENTION -> Map.of();
            case MAIL_LOG -> Map.of("PRIVACY_STORE_ACK_TIMEOUT", "PT5S");
        };
    }
}
