package io.privacyplatform.support.deadletter;

import java.time.Instant;
import java.util.Map;

/**
 * A record on a dead-letter topic, as the admin listing shows it: where it is, its key (a subject pseudonym or a
 * tenant id), its event id and type and the error headers that say why and where from. Never its payload, which
 * may hold personal data.
 */
public record DeadLetterRecord(int partition, long offset, Instant timestamp, String key, String eventId,
        String eventType, String tenantId, Map<String, String> errorHeaders) {
}
