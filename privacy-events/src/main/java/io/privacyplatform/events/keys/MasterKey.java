package io.privacyplatform.events.keys;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Objects;
import java.util.regex.Pattern;

import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * The key that wraps every data key in the key store (AES-256-GCM, the row's key id, tenant and subject as associated
 * data, so a wrapped key copied onto another row does not unwrap). It comes from a secret (base64 of 32 random bytes,
 * {@code head -c 32 /dev/urandom | base64}) and has an id, stored with every key it wrapped, so keys wrapped by a
 * retired master key still unwrap during a rotation ({@link JdbcSubjectKeys#rewrap()}).
 */
public final class MasterKey {

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    private final String id;
    private final SecretKey key;

    private MasterKey(String id, SecretKey key) {
        if (id == null || !ID.matcher(id).matches()) {
            throw new IllegalArgumentException("a master key id must match " + ID.pattern());
        }
        this.id = id;
        this.key = key;
    }

    /** @param base64 the secret: base64 of exactly 32 bytes */
    public static MasterKey fromBase64(String id, String base64) {
        Objects.requireNonNull(base64, "the master key secret");
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(base64.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the master key secret " + id + " is not base64");
        }
        if (bytes.length != 32) {
            throw new IllegalArgumentException("the master key secret " + id + " must be 32 bytes (AES-256), not "
                    + bytes.length);
        }
        return new MasterKey(id, new SecretKeySpec(bytes, "AES"));
    }

    public String id() {
        return id;
    }

    byte[] wrap(byte[] dataKey, String context) {
        return SubjectSeal.encrypt(key, dataKey, context.getBytes(StandardCharsets.UTF_8));
    }

    byte[] unwrap(byte[] wrapped, String context) {
        return SubjectSeal.decrypt(key, wrapped, context.getBytes(StandardCharsets.UTF_8), "wrapped by " + id);
    }

    @Override
    public String toString() {
        return "MasterKey[" + id + "]";
    }
}
