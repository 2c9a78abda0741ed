package io.privacyplatform.events;

import java.util.List;
import java.util.stream.Stream;

/**
 * Every topic of the platform and its facts on the broker ({@link #specs()}). docs/events.md describes each one's
 * key, producer, consumers and payload. Adding a topic is one edit here: the local run creates topics from
 * {@link #main}'s output, and {@link #ALL} is checked against the specs by a test.
 */
public final class Topics {

    public static final String CONSENT_CHANGED = "privacy.consent.changed.v1";
    /** Consent subscribers' acknowledgements that they applied a consent decision. */
    public static final String CONSENT_APPLIED = "privacy.consent.applied.v1";
    public static final String RIGHTS_REQUEST = "privacy.rights-request.v1";
    public static final String COMMAND = "privacy.command.v1";
    public static final String COMMAND_ACK = "privacy.command.ack.v1";
    public static final String REQUEST_PROGRESS = "privacy.request.progress.v1";
    public static final String NOTIFICATION = "privacy.notification.v1";
    /** Compacted, keyed by tenant id; holds no personal data. */
    public static final String TENANT_SETTINGS = "privacy.tenant.settings.v1";
    /** Signed anchors of request-service's audit chains; kept without time limit, no personal data. */
    public static final String AUDIT_ANCHOR = "privacy.audit-anchor.v1";

    /** Every topic above, comma-separated: a compile-time constant, so annotations (test resources) can name it. */
    public static final String ALL = CONSENT_CHANGED + "," + RIGHTS_REQUEST + "," + COMMAND + "," + COMMAND_ACK + ","
            + REQUEST_PROGRESS + "," + NOTIFICATION + "," + TENANT_SETTINGS + "," + AUDIT_ANCHOR + ","
            + CONSENT_APPLIED;

    public static final String DLQ_SUFFIX = ".dlq";

    /** Topics that carry identifiers: cleanup.policy=delete with this bounded retention. */
    public static final long IDENTIFIER_RETENTION_MS = 7L * 24 * 60 * 60 * 1000;

    /** Partitions of each topic: room for a few consumer instances per group; per-key order holds regardless. */
    public static final int PARTITIONS = 3;

    /** Partitions of each dead-letter twin: ordering does not matter there. */
    public static final int DEAD_LETTER_PARTITIONS = 1;

    private static final List<TopicSpec> SPECS = List.of(
            TopicSpec.deletedAfter(CONSENT_CHANGED, PARTITIONS, IDENTIFIER_RETENTION_MS),
            TopicSpec.deletedAfter(RIGHTS_REQUEST, PARTITIONS, IDENTIFIER_RETENTION_MS),
            TopicSpec.deletedAfter(COMMAND, PARTITIONS, IDENTIFIER_RETENTION_MS),
            TopicSpec.deletedAfter(COMMAND_ACK, PARTITIONS, IDENTIFIER_RETENTION_MS),
            TopicSpec.deletedAfter(REQUEST_PROGRESS, PARTITIONS, IDENTIFIER_RETENTION_MS),
            TopicSpec.deletedAfter(NOTIFICATION, PARTITIONS, IDENTIFIER_RETENTION_MS),
            TopicSpec.compacted(TENANT_SETTINGS, PARTITIONS),
            // Every anchor is kept (not compacted, no time limit): verification reads them all back. One
            // partition: anchors are few and read in their order.
            TopicSpec.keptForever(AUDIT_ANCHOR, 1),
            TopicSpec.deletedAfter(CONSENT_APPLIED, PARTITIONS, IDENTIFIER_RETENTION_MS));

    private Topics() {
    }

    /** The names of every topic, without the dead-letter twins. */
    public static List<String> all() {
        return SPECS.stream().map(TopicSpec::name).toList();
    }

    /** Every topic's spec, without the dead-letter twins. */
    public static List<TopicSpec> specs() {
        return SPECS;
    }

    /** Every topic's spec, each followed by its dead-letter twin's: everything a broker must have. */
    public static List<TopicSpec> specsWithDeadLetters() {
        return SPECS.stream().flatMap(spec -> Stream.of(spec, spec.deadLetter())).toList();
    }

    public static String deadLetterOf(String topic) {
        return topic + DLQ_SUFFIX;
    }

    public static boolean isCompacted(String topic) {
        return SPECS.stream().anyMatch(spec -> spec.name().equals(topic)
                && spec.cleanupPolicy() == TopicSpec.CleanupPolicy.COMPACT);
    }

    /**
     * Prints every topic and dead-letter twin, one per line: {@code <name> <partitions> <retention.ms>
     * <cleanup.policy>}, for deploy/local/run.sh. Needs nothing but this module's classes on the classpath.
     */
    public static void main(String[] args) {
        for (TopicSpec spec : specsWithDeadLetters()) {
            System.out.println(spec.name() + " " + spec.partitions() + " " + spec.retentionMs() + " "
                    + spec.cleanupPolicy().kafkaName());
        }
    }
}
