package io.privacyplatform.events.keys;

import java.util.Objects;

import javax.crypto.SecretKey;

/** One subject's AES-256 data key, unwrapped, with the id events and backups name it by. */
public record DataKey(String keyId, SecretKey key) {

    public DataKey {
        Objects.requireNonNull(keyId, "keyId");
        Objects.requireNonNull(key, "key");
    }

    @Override
    public String toString() {
        // Never the key material: records end up in log lines.
        return "DataKey[" + keyId + "]";
    }
}
