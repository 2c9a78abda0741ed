package io.privacyplatform.request.service;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.UUID;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.privacyplatform.events.SubjectPseudonym;
import io.privacyplatform.events.payload.Notification;
import io.privacyplatform.request.RightsRequest;
import io.privacyplatform.support.outbox.Outbox;

/**
 * Six-digit identity verification codes. Only {@code HMAC-SHA256(key, requestId ":" code)} is stored: a million
 * codes are quickly tried against a plain hash, but not without the key, which lives in the configuration, not in
 * the database. The key is derived from the platform secret for this one purpose. The code itself travels only
 * sealed for the mailer ({@link MailerSeal}), in an outbox row deleted as soon as it is sent.
 */
@Singleton
public class VerificationCodes {

    private final SecureRandom random = new SecureRandom();

    @Inject
    MailerSeal seal;

    @Inject
    Outbox outbox;

    @Inject
    SubjectPseudonym pseudonym;

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

    /**
     * The {@code verification_code} notification to the requester, inside the caller's transaction: the code sealed
     * in {@code params.sealed}, never in clear, in an outbox row the relay deletes once Kafka has it.
     */
    public void send(RightsRequest request, String code, Instant now) {
        if (request.contactEmail == null) {
            return;
        }
        Map<String, String> params = seal.seal(Map.of("code", code, "requestId", request.id.toString(),
                "expiresAt", request.verificationExpiresAt.toString()));
        Notification notification = Notification.of(Notification.VERIFICATION_CODE, request.tenantId,
                request.contactEmail, request.subjectId, request.id.toString(), params, now);
        outbox.publishSensitive(request.tenantId, pseudonym.of(request.tenantId, request.subjectId), notification);
    }
}
