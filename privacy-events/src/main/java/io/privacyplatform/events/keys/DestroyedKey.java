package io.privacyplatform.events.keys;

import java.time.Instant;

/** A subject's data key that no longer exists, and since when: what a deletion certificate names. */
public record DestroyedKey(String keyId, Instant destroyedAt) {
}
