package io.privacyplatform.support.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * What a random bearer token (a dashboard session cookie, an unsubscribe link, a privacy-page cookie or download
 * link) is stored as: the lower-case hex SHA-256 of its ASCII text. The token has 256 random bits, so a plain hash
 * cannot be guessed back, and a copy of the table opens nothing. Not for anything guessable (codes, addresses): those
 * need a keyed HMAC.
 */
public final class TokenDigest {

    private TokenDigest() {
    }

    public static String of(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(token.getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
