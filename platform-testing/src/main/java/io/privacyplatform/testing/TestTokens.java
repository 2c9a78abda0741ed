package io.privacyplatform.testing;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Base64;
import java.util.Set;

import io.smallrye.jwt.build.Jwt;

/**
 * Bearer tokens for tests, signed with a key pair made for this JVM only: no key is kept in the repository, and the
 * services under test verify with its public half ({@link #publicKeyBase64()}).
 */
public final class TestTokens {

    public static final String ISSUER = "privacy-platform";
    private static final KeyPair KEYS = generate();

    private TestTokens() {
    }

    /** A token of {@code tenant} with one role ({@code app}, {@code operator} or {@code admin}). */
    public static String of(String tenant, String... roles) {
        return Jwt.issuer(ISSUER)
                .upn(tenant + "-" + String.join("-", roles))
                .subject(tenant + "-" + String.join("-", roles))
                .groups(Set.of(roles))
                .claim("tenant", tenant)
                .expiresIn(Duration.ofHours(1))
                .sign(KEYS.getPrivate());
    }

    public static String bearer(String tenant, String... roles) {
        return "Bearer " + of(tenant, roles);
    }

    /** The verification key as base64 DER, the form {@code mp.jwt.verify.publickey} takes. */
    public static String publicKeyBase64() {
        return Base64.getEncoder().encodeToString(KEYS.getPublic().getEncoded());
    }

    private static KeyPair generate() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
