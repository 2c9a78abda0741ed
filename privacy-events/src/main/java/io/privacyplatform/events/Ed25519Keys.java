package io.privacyplatform.events;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.interfaces.EdECPrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;

/**
 * Ed25519 key pairs in the forms the platform exchanges them: a private key as a PKCS#8 PEM file ({@code openssl
 * genpkey -algorithm ed25519} writes one), a public key as base64 X.509 SubjectPublicKeyInfo (DER). Plain JDK
 * ({@code SunEC}), so the subscriber kit and the services share it.
 */
public final class Ed25519Keys {

    public static final String ALGORITHM = "Ed25519";
    private static final int SEED_BYTES = 32;

    private Ed25519Keys() {
    }

    /** A new random key pair (tests, and the services' ephemeral key outside prod). */
    public static KeyPair generate() {
        try {
            return KeyPairGenerator.getInstance(ALGORITHM).generateKeyPair();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no " + ALGORITHM, e);
        }
    }

    /**
     * The key pair of a PKCS#8 PEM file holding an Ed25519 private key ({@code -----BEGIN PRIVATE KEY-----}).
     *
     * @throws IllegalArgumentException the file holds no Ed25519 private key
     */
    public static KeyPair readPrivateKeyPem(Path file) throws IOException {
        String pem = Files.readString(file, StandardCharsets.US_ASCII);
        if (!pem.contains("-----BEGIN PRIVATE KEY-----")) {
            throw new IllegalArgumentException(file + " holds no PKCS#8 private key (-----BEGIN PRIVATE KEY-----)");
        }
        String base64 = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        PrivateKey key;
        try {
            key = KeyFactory.getInstance(ALGORITHM)
                    .generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalArgumentException(file + " holds no " + ALGORITHM + " private key: " + e.getMessage(), e);
        }
        return withPublicKey(key);
    }

    /** {@code key} as a PKCS#8 PEM text, the form {@link #readPrivateKeyPem(Path)} reads. */
    public static String privateKeyPem(PrivateKey key) {
        return "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(key.getEncoded())
                + "\n-----END PRIVATE KEY-----\n";
    }

    /** Base64 X.509 SubjectPublicKeyInfo, the form the data map keeps a store's key in. */
    public static String encodePublicKey(PublicKey key) {
        return Base64.getEncoder().encodeToString(key.getEncoded());
    }

    /**
     * Reads {@link #encodePublicKey(PublicKey)}'s form.
     *
     * @throws IllegalArgumentException not base64, or not an Ed25519 public key
     */
    public static PublicKey decodePublicKey(String base64) {
        try {
            return KeyFactory.getInstance(ALGORITHM)
                    .generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(base64)));
        } catch (GeneralSecurityException | IllegalArgumentException | NullPointerException e) {
            throw new IllegalArgumentException("not a base64 X.509 " + ALGORITHM + " public key", e);
        }
    }

    /**
     * The pair of {@code key}. The JDK has no call that derives an Ed25519 public key from a private one, but its
     * generator makes the private key from 32 random bytes exactly as they come (RFC 8032: the private key is the
     * seed), so a generator fed the key's own seed makes the matching public key.
     */
    static KeyPair withPublicKey(PrivateKey key) {
        if (!(key instanceof EdECPrivateKey edKey) || edKey.getBytes().isEmpty()) {
            throw new IllegalArgumentException("not an " + ALGORITHM + " private key with its seed");
        }
        byte[] seed = edKey.getBytes().get();
        if (seed.length != SEED_BYTES) {
            throw new IllegalArgumentException("an " + ALGORITHM + " private key has " + SEED_BYTES + " bytes");
        }
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance(ALGORITHM);
            generator.initialize(255, new SeedRandom(seed));
            KeyPair derived = generator.generateKeyPair();
            // A JDK that consumed the randomness differently would yield another pair: prove this one matches.
            if (!Arrays.equals(derived.getPrivate().getEncoded(), key.getEncoded())) {
                throw new IllegalStateException("could not derive the public key of an " + ALGORITHM + " key");
            }
            return new KeyPair(derived.getPublic(), key);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JVM has no " + ALGORITHM, e);
        } finally {
            Arrays.fill(seed, (byte) 0);
        }
    }

    /** Returns the seed, once; only the derivation above uses it. */
    private static final class SeedRandom extends SecureRandom {
        private static final long serialVersionUID = 1L;
        private final transient byte[] seed;

        SeedRandom(byte[] seed) {
            this.seed = seed.clone();
        }

        @Override
        public void nextBytes(byte[] bytes) {
            if (bytes.length != seed.length) {
                throw new IllegalStateException("unexpected request for " + bytes.length + " random bytes");
            }
            System.arraycopy(seed, 0, bytes, 0, seed.length);
        }
    }
}
