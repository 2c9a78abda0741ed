package io.privacyplatform.events;

import java.util.List;
import java.util.Map;

/**
 * The fields of each payload that hold personal data: {@link EventCodec} seals them with the subject's data key
 * (AES-256-GCM, see docs/events.md "Sealed personal fields"), so destroying that key erases them wherever the event
 * lies (every topic, its {@code .dlq}, a backup). The other fields stay in clear: ids, kinds, outcomes and times are
 * what a consumer, an operator or a certificate needs after the subject is gone. A type not listed has none.
 */
public final class PersonalFields {

    private static final Map<EventType, List<String>> FIELDS = Map.of(
            EventType.CONSENT_CHANGED, List.of("subjectId"),
            EventType.RIGHTS_REQUEST_CHANGED, List.of("subjectId", "contactEmail", "rectification"),
            EventType.COMMAND, List.of("subject", "rectification"),
            EventType.COMMAND_ACK, List.of("data"),
            EventType.NOTIFICATION, List.of("recipient", "subjectId", "params"));

    private PersonalFields() {
    }

    /** The JSON names of {@code type}'s personal fields (top level of the payload), in a fixed order. */
    public static List<String> of(EventType type) {
        return FIELDS.getOrDefault(type, List.of());
    }
}
