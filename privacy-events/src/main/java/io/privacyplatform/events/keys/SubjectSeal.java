package io.privacyplatform.events.keys;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;

import io.privacyplatform.events.InvalidEventException;

/**
 * AES-256-GCM under a subject's {@link DataKey}: the sealed form of an event's personal field, and of whatever a store
 * keeps of the subject outside its database (a backup, an export file). Text, so it fits a JSON string, a PostgreSQL
 * {@code text} column (no NUL) and a CSV cell:
 *
 * <pre>
 * "sealed:v1:" base64( nonce(12 bytes, random) || ciphertext || tag(16 bytes) )
 * </pre>
 *
 * The {@code context} is GCM's associated data: not secret, not stored, but it must be given again to open, so a
 * sealed value moved to another place (another event, another field, another row) does not open there.
 */
public final class SubjectSeal {

    public static final String PREFIX = "sealed:v1:";

    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    private SubjectSeal() {
    }

    /** {@code plaintext} sealed with {@code key}, bound to {@code context}. */
    public static String seal(DataKey key, byte[] plaintext, String context) {
        byte[] sealed = encrypt(key.key(), plaintext, context.getBytes(StandardCharsets.UTF_8));
        return PREFIX + Base64.getEncoder().encodeToString(sealed);
    }

    /**
     * What {@link #seal} sealed.
     *
     * @throws InvalidEventException not a sealed value, or not sealed with this key and context (altered, moved)
     */
    public static byte[] open(DataKey key, String sealed, String context) {
        if (!isSealed(sealed)) {
            throw new InvalidEventException("not a sealed value (expected " + PREFIX + "…)");
        }
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(sealed.substring(PREFIX.length()));
        } catch (IllegalArgumentException e) {
            throw new InvalidEventException("a sealed value that is not base64");
        }
        return decrypt(key.key(), bytes, context.getBytes(StandardCharsets.UTF_8), "sealed with key " + key.keyId());
    }

    public static boolean isSealed(String value) {
        return value != null && value.startsWith(PREFIX);
    }

    /** The length of the sealed text of {@code plaintextBytes} bytes: for size limits computed before sealing. */
    public static int sealedLength(int plaintextBytes) {
        return PREFIX.length() + 4 * ((NONCE_BYTES + plaintextBytes + TAG_BITS / 8 + 2) / 3);
    }

    /** nonce || ciphertext || tag. Also how {@link MasterKey} wraps data keys. */
    static byte[] encrypt(SecretKey key, byte[] plaintext, byte[] associatedData) {
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(associatedData);
            byte[] out = Arrays.copyOf(nonce, NONCE_BYTES + cipher.getOutputSize(plaintext.length));
            cipher.doFinal(plaintext, 0, plaintext.length, out, NONCE_BYTES);
            return out;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available", e);
        }
    }

    /** @throws InvalidEventException the tag does not verify: another key or context, or altered bytes */
    static byte[] decrypt(SecretKey key, byte[] sealed, byte[] associatedData, String what) {
        if (sealed.length < NONCE_BYTES + TAG_BITS / 8) {
            throw new InvalidEventException("a sealed value too short to be one (" + what + ")");
        }
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, sealed, 0, NONCE_BYTES));
            cipher.updateAAD(associatedData);
            return cipher.doFinal(sealed, NONCE_BYTES, sealed.length - NONCE_BYTES);
        } catch (AEADBadTagException e) {
            throw new InvalidEventException("a sealed value does not open (" + what + "): altered, or moved from"
                    + " where it was sealed");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available", e);
        }
    }
}
