package io.privacyplatform.request.service;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.UUID;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Six-digit identity verification codes. Only {@code HMAC-SHA256(key, requestId ":" code)} is stored: a million
 * codes are quickly tried against a plain hash, but not without the key, which lives in the configuration, not in
 * the database. The key is derived from the platform secret for this one purpose.
 */
@Singleton
public class VerificationCodes {

    private final SecureRandom random = new SecureRandom();
    private final SecretKeySpec key;

    public VerificationCodes(@ConfigProperty(name = "privacy.pseudonym.secret") String secret) {
        try {
            Mac derive = Mac.getInstance("HmacSHA256");
            derive.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            this.key = new SecretKeySpec(
                    derive.doFinal("request-service/verification-code".getBytes(StandardCharsets.UTF_8)),
                    "HmacSHA256");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public String newCode() {
        return String.format("%06d", random.nextInt(1_000_000));
    }

    public String hash(UUID requestId, String code) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return HexFormat.of().formatHex(mac.doFinal((requestId + ":" + code).getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Compares in constant time, so the response time tells nothing about how close a guess was. */
    public boolean matches(UUID requestId, String code, String storedHash) {
        return storedHash != null && MessageDigest.isEqual(
                hash(requestId, code).getBytes(StandardCharsets.US_ASCII),
                storedHash.getBytes(StandardCharsets.US_ASCII));
    }
}
