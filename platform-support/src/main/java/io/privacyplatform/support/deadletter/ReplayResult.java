package io.privacyplatform.support.deadletter;

import java.util.List;

/** What a replay published: every record asked for, all in one Kafka transaction, or none (an error). */
public record ReplayResult(List<Replayed> replayed) {

    /** A dead-letter record and where its copy now is on the original topic. */
    public record Replayed(int partition, long offset, String eventId, String originalTopic, int replayedPartition,
            long replayedOffset) {
    }
}
