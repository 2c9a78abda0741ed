package io.privacyplatform.maillog.service;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Which messages are kept whole for abuse review: 1 in {@value #ONE_IN}, chosen from the message id alone, so the
 * choice is the same on every instance and on a retried delivery, and no sender can steer it.
 */
public final class MailSampling {

    public static final int ONE_IN = 100;

    private MailSampling() {
    }

    public static boolean isSampled(String messageId) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(messageId.getBytes(StandardCharsets.UTF_8));
            long value = ((hash[0] & 0xffL) << 24) | ((hash[1] & 0xffL) << 16) | ((hash[2] & 0xffL) << 8)
                    | (hash[3] & 0xffL);
            return value % ONE_IN == 0;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
