package io.privacyplatform.events;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.interfaces.EdECPrivateKey;
import java.security.spec.NamedParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Ed25519 keys as PEM files: {@code PRIVATE KEY} (PKCS#8, what {@code openssl genpkey -algorithm ed25519} writes) and
 * {@code PUBLIC KEY} (X.509 SubjectPublicKeyInfo, {@code openssl pkey -pubout}), the public half derived from the
 * private one, public keys also as base64 X.509 (the data map keeps a store's key so), signatures in base64. A key's
 * id is its file name without {@code .pem} / {@code .pub.pem}. Plain JDK ({@code SunEC}): the subscriber kit, the
 * services' event signatures and their certificate and audit-anchor keys all use this one class.
 */
public final class Ed25519Keys {

    public static final String ALGORITHM = "Ed25519";

    /** Key ids travel in signed documents and URLs: short, plain characters only. */
    public static final Pattern KEY_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    public static final String PRIVATE_SUFFIX = ".pem";
    public static final String PUBLIC_SUFFIX = ".pub.pem";

    private static final Pattern PEM = Pattern.compile(
            "-----BEGIN ([A-Z ]+)-----\\s*([A-Za-z0-9+/=\\s]+?)\\s*-----END \\1-----");

    private Ed25519Keys() {
    }

    public static KeyPair generate() {
        try {
            return KeyPairGenerator.getInstance(ALGORITHM).generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK offers no Ed25519", e);
        }
    }

    public static PrivateKey readPrivate(Path file) {
        try {
            byte[] der = pemBody(Files.readString(file, StandardCharsets.US_ASCII), "PRIVATE KEY", file);
            return KeyFactory.getInstance(ALGORITHM).generatePrivate(new PKCS8EncodedKeySpec(der));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read key file " + file + ": " + e.getMessage(), e);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalArgumentException(file + " is not a PKCS#8 Ed25519 private key: " + e.getMessage(), e);
        }
    }

    /** The private key in a PKCS#8 PEM file with its public half. */
    public static KeyPair readKeyPair(Path file) {
        PrivateKey key = readPrivate(file);
        return new KeyPair(publicOf(key), key);
    }

    public static PublicKey readPublic(Path file) {
        try {
            byte[] der = pemBody(Files.readString(file, StandardCharsets.US_ASCII), "PUBLIC KEY", file);
            return KeyFactory.getInstance(ALGORITHM).generatePublic(new X509EncodedKeySpec(der));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read key file " + file + ": " + e.getMessage(), e);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalStateException(file + " is not an X.509 Ed25519 public key: " + e.getMessage(), e);
        }
    }

    /**
     * The public half of a private key. The JDK has no direct call for it, but its Ed25519 key generator derives
     * the public key from 32 random bytes, which are the private key itself (RFC 8032 §5.1.5): fed those bytes, it
     * rebuilds the pair.
     */
    public static PublicKey publicOf(PrivateKey privateKey) {
        if (!(privateKey instanceof EdECPrivateKey edec) || edec.getBytes().isEmpty()) {
            throw new IllegalArgumentException("not an Ed25519 private key with its bytes");
        }
        byte[] seed = edec.getBytes().get();
        SecureRandom replay = new SecureRandom() {
            @Override
            public void nextBytes(byte[] bytes) {
                if (bytes.length != seed.length) {
                    throw new IllegalStateException("unexpected request for " + bytes.length + " random bytes");
                }
                System.arraycopy(seed, 0, bytes, 0, seed.length);
            }
        };
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance(ALGORITHM);
            generator.initialize(NamedParameterSpec.ED25519, replay);
            KeyPair derived = generator.generateKeyPair();
            // A JDK that consumed the randomness differently would yield another pair: prove this one matches.
            if (!Arrays.equals(derived.getPrivate().getEncoded(), privateKey.getEncoded())) {
                throw new IllegalStateException("could not derive the public key of an Ed25519 key");
            }
            return derived.getPublic();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot derive the Ed25519 public key", e);
        }
    }

    public static String privatePem(PrivateKey key) {
        return pem("PRIVATE KEY", key.getEncoded());
    }

    public static String publicPem(PublicKey key) {
        return pem("PUBLIC KEY", key.getEncoded());
    }

    /** Base64 of the X.509 SubjectPublicKeyInfo: what the keys endpoints publish. */
    public static String publicKeyBase64(PublicKey key) {
        return Base64.getEncoder().encodeToString(key.getEncoded());
    }

    /**
     * Reads {@link #publicKeyBase64(PublicKey)}'s form.
     *
     * @throws IllegalArgumentException not base64, or not an Ed25519 public key
     */
    public static PublicKey publicKeyFromBase64(String spki) {
        try {
            return KeyFactory.getInstance(ALGORITHM)
                    .generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(spki)));
        } catch (GeneralSecurityException | IllegalArgumentException | NullPointerException e) {
            throw new IllegalArgumentException("not an X.509 Ed25519 public key", e);
        }
    }

    /** Base64 of the Ed25519 signature over {@code data}. */
    public static String sign(PrivateKey key, byte[] data) {
        try {
            Signature signature = Signature.getInstance(ALGORITHM);
            signature.initSign(key);
            signature.update(data);
            return Base64.getEncoder().encodeToString(signature.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign", e);
        }
    }

    /** Whether {@code signatureBase64} is {@code key}'s signature over {@code data}; malformed input is false. */
    public static boolean verify(PublicKey key, byte[] data, String signatureBase64) {
        try {
            Signature signature = Signature.getInstance(ALGORITHM);
            signature.initVerify(key);
            signature.update(data);
            return signature.verify(Base64.getDecoder().decode(signatureBase64));
        } catch (GeneralSecurityException | IllegalArgumentException | NullPointerException e) {
            return false;
        }
    }

    /** Writes a new key pair as {@code <dir>/<keyId>.pem}, readable by the owner only where the file system can. */
    public static KeyPair writeNew(Path dir, String keyId) throws IOException {
        requireKeyId(keyId);
        KeyPair pair = generate();
        Files.createDirectories(dir);
        Path file = dir.resolve(keyId + PRIVATE_SUFFIX);
        Files.writeString(file, privatePem(pair.getPrivate()), StandardCharsets.US_ASCII);
        try {
            Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            // Not a POSIX file system: the directory's own protection has to do.
        }
        return pair;
    }

    public static String requireKeyId(String keyId) {
        if (keyId == null || !KEY_ID.matcher(keyId).matches()) {
            throw new IllegalArgumentException("key id '" + keyId + "' must match " + KEY_ID.pattern());
        }
        return keyId;
    }

    private static byte[] pemBody(String text, String label, Path file) {
        Matcher matcher = PEM.matcher(text);
        if (!matcher.find() || !matcher.group(1).equals(label)) {
            throw new IllegalArgumentException("no '-----BEGIN " + label + "-----' block in " + file);
        }
        return Base64.getMimeDecoder().decode(matcher.group(2));
    }

    private static String pem(String label, byte[] der) {
        return "-----BEGIN " + label + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END " + label + "-----\n";
    }
}
