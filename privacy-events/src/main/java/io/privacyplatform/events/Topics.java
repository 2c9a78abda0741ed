package io.privacyplatform.events;

import java.util.List;

/** Every topic of the platform. docs/events.md describes each one's key, producer, consumers and payload. */
public final class Topics {

    public static final String CONSENT_CHANGED = "privacy.consent.changed.v1";
    public static final String RIGHTS_REQUEST = "privacy.rights-request.v1";
    public static final String COMMAND = "privacy.command.v1";
    public static final String COMMAND_ACK = "privacy.command.ack.v1";
    public static final String REQUEST_PROGRESS = "privacy.request.progress.v1";
    public static final String NOTIFICATION = "privacy.notification.v1";
    /** Compacted, keyed by tenant id; holds no personal data. */
    public static final String TENANT_SETTINGS = "privacy.tenant.settings.v1";

    /** Every topic above, comma-separated: a compile-time constant, so annotations (test resources) can name it. */
    public static final String ALL = CONSENT_CHANGED + "," + RIGHTS_REQUEST + "," + COMMAND + "," + COMMAND_ACK + ","
            + REQUEST_PROGRESS + "," + NOTIFICATION + "," + TENANT_SETTINGS;

    public static final String DLQ_SUFFIX = ".dlq";

    /** Topics that carry identifiers: cleanup.policy=delete with this bounded retention. */
    public static final long IDENTIFIER_RETENTION_MS = 7L * 24 * 60 * 60 * 1000;

    private Topics() {
    }

    public static List<String> all() {
        return List.of(ALL.split(","));
    }

    public static String deadLetterOf(String topic) {
        return topic + DLQ_SUFFIX;
    }

    public static boolean isCompacted(String topic) {
        return TENANT_SETTINGS.equals(topic);
    }
}
