package io.privacyplatform.events.keys;

import java.time.Instant;

/**
 * The data key an event (or a backup) was sealed with is destroyed: its personal fields are erased data. Not poison
 * (the event was valid when written) and nothing to retry: a consumer skips the event, acknowledges it and counts it.
 */
public class SubjectErasedException extends RuntimeException {

    private static final long serialVersionUID = 1L;
    private final String keyId;
    private final transient Instant destroyedAt;

    public SubjectErasedException(String keyId, Instant destroyedAt) {
        super("data key " + keyId + " was destroyed at " + destroyedAt + ": the data it sealed is erased", null,
                false, false);
        this.keyId = keyId;
        this.destroyedAt = destroyedAt;
    }

    public String keyId() {
        return keyId;
    }

    public Instant destroyedAt() {
        return destroyedAt;
    }
}
