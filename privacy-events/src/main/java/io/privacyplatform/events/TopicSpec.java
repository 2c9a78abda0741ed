package io.privacyplatform.events;

import java.util.Locale;
import java.util.Map;

/**
 * What one topic is on the broker: its name, partitions and how Kafka cleans it up. {@link Topics#specs()} lists
 * them; the local run creates its topics from that list (through {@link Topics#main}), and deployment resources are
 * meant to be generated from it too, so a topic's facts are written down once.
 *
 * @param retentionMs how long Kafka keeps a record; {@code -1} (Kafka's "no time limit") for a compacted topic,
 *            which keeps the latest value per key instead, and for a topic whose every record is kept
 */
public record TopicSpec(String name, int partitions, CleanupPolicy cleanupPolicy, long retentionMs) {

    /** Kafka's {@code cleanup.policy}. */
    public enum CleanupPolicy {
        DELETE, COMPACT;

        /** The value as Kafka spells it in topic configs. */
        public String kafkaName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public TopicSpec {
        Require.text(name, "name");
        Require.present(cleanupPolicy, "cleanupPolicy");
        if (partitions < 1) {
            throw new IllegalArgumentException("a topic needs at least one partition: " + name);
        }
        if (cleanupPolicy == CleanupPolicy.DELETE && retentionMs <= 0 && retentionMs != -1) {
            throw new IllegalArgumentException("a deleted topic needs a positive retention (or -1, none): " + name);
        }
        if (cleanupPolicy == CleanupPolicy.COMPACT && retentionMs != -1) {
            throw new IllegalArgumentException("a compacted topic keeps its latest values without time limit: " + name);
        }
    }

    /** A topic whose records Kafka deletes {@code retentionMs} after they were written. */
    public static TopicSpec deletedAfter(String name, int partitions, long retentionMs) {
        return new TopicSpec(name, partitions, CleanupPolicy.DELETE, retentionMs);
    }

    /** A topic that keeps every record without time limit ({@code retention.ms=-1}, nothing compacted away). */
    public static TopicSpec keptForever(String name, int partitions) {
        return new TopicSpec(name, partitions, CleanupPolicy.DELETE, -1);
    }

    /** A topic that keeps the latest record of each key (a tombstone removes the key). */
    public static TopicSpec compacted(String name, int partitions) {
        return new TopicSpec(name, partitions, CleanupPolicy.COMPACT, -1);
    }

    /**
     * The topic's dead-letter twin: ordering does not matter there, so one partition; deleted after the identifier
     * retention like the data it copies, even for a compacted source.
     */
    public TopicSpec deadLetter() {
        return deletedAfter(Topics.deadLetterOf(name), Topics.DEAD_LETTER_PARTITIONS, Topics.IDENTIFIER_RETENTION_MS);
    }

    /** The Kafka topic configs that make this spec ({@code cleanup.policy}, {@code retention.ms}). */
    public Map<String, String> configs() {
        return Map.of("cleanup.policy", cleanupPolicy.kafkaName(), "retention.ms", Long.toString(retentionMs));
    }
}
