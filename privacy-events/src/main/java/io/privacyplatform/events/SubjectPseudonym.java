package io.privacyplatform.events;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import java.util.Objects;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The Kafka key of every subject-related event: HMAC-SHA256 over tenant and subject id with a platform secret.
 * One subject's events share a key (so they keep their order in one partition) without the topic revealing who the
 * subject is, and without the pseudonym being reversible by anyone who lacks the secret.
 */
public final class SubjectPseudonym {

    private static final String ALGORITHM = "HmacSHA256";
    private final SecretKeySpec key;

    public SubjectPseudonym(byte[] secret) {
        Objects.requireNonNull(secret, "secret");
        if (secret.length < 16) {
            throw new IllegalArgumentException("pseudonym secret must have at least 16 bytes");
        }
        this.key = new SecretKeySpec(secret.clone(), ALGORITHM);
    }

    public static SubjectPseudonym fromSecret(String secret) {
        return new SubjectPseudonym(secret.getBytes(StandardCharsets.UTF_8));
    }

    public String of(String tenantId, String subjectId) {
        Objects.requireNonNull(tenantId, "tenantId");
        Objects.requireNonNull(subjectId, "subjectId");
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            // The length prefix keeps ("ab","c") and ("a","bc") apart.
            byte[] tenant = tenantId.getBytes(StandardCharsets.UTF_8);
            mac.update(Integer.toString(tenant.length).getBytes(StandardCharsets.US_ASCII));
            mac.update((byte) ':');
            mac.update(tenant);
            mac.update((byte) ':');
            mac.update(subjectId.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(mac.doFinal());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }
}
