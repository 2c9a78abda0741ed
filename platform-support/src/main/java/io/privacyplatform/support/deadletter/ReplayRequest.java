package io.privacyplatform.support.deadletter;

import java.util.List;

/** Which records of one dead-letter topic to publish again to the topic they came from. */
public record ReplayRequest(String topic, List<RecordRef> records) {

    /** One record of the dead-letter topic, as the listing names it. */
    public record RecordRef(Integer partition, Long offset) {
    }
}
