package io.privacyplatform.maillog.service;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import io.privacyplatform.maillog.config.MailLogConfig;

/**
 * Which messages are kept whole for abuse review: 1 in {@value #ONE_IN}, chosen by HMAC-SHA256 of the message id
 * under a server-side secret ({@code mail-log.sampling-secret}). Without the secret a sender cannot tell which ids
 * are sampled, so re-rolling message ids cannot steer a message around the review (a plain hash of the id could be
 * computed, and avoided, by anyone). The secret is configured, never generated per start: the choice must stay the
 * same on every instance, across restarts and on a retried delivery.
 */
@Singleton
public class MailSampling {

    public static final int ONE_IN = 100;
    /** A shorter secret could be guessed; 32 random bytes (64 hex characters) is what deploy/local makes. */
    static final int MIN_SECRET_CHARS = 16;
    private static final String HMAC = "HmacSHA256";

    private final SecretKeySpec key;

    @Inject
    public MailSampling(MailLogConfig config) {
        this(config.samplingSecret());
    }

    public MailSampling(String secret) {
        if (secret == null || secret.length() < MIN_SECRET_CHARS) {
            throw new IllegalArgumentException("mail-log.sampling-secret must have at least " + MIN_SECRET_CHARS
                    + " characters");
        }
        this.key = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), HMAC);
    }

    public boolean isSampled(String messageId) {
        byte[] hash = mac().doFinal(messageId.getBytes(StandardCharsets.UTF_8));
        long value = ((hash[0] & 0xffL) << 24) | ((hash[1] & 0xffL) << 16) | ((hash[2] & 0xffL) << 8)
                | (hash[3] & 0xffL);
        return value % ONE_IN == 0;
    }

    /** A Mac is not thread-safe; one per call is cheap next to storing a message. */
    private Mac mac() {
        try {
            Mac mac = Mac.getInstance(HMAC);
            mac.init(key);
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
