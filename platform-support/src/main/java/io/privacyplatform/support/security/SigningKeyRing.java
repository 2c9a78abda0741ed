package io.privacyplatform.support.security;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;

import io.privacyplatform.events.Ed25519Keys;

/**
 * A service's Ed25519 signing keys, read once from a directory (a mounted secret in production): {@code <kid>.pem}
 * holds a PKCS#8 private key, {@code <kid>.pub.pem} the public key of a retired key whose private half is gone. The
 * configured current key id names the private key that signs; every other key is published as retired so that what
 * it signed still verifies. Files starting with a dot (the {@code ..data} links of a Kubernetes secret) and any
 * other file are ignored. Never kept in or read from the database: whoever can write the database must not be able
 * to sign.
 */
public final class SigningKeyRing {

    private final String currentKeyId;
    private final PrivateKey signingKey;
    private final Map<String, PublicKey> publicKeys;

    private SigningKeyRing(String currentKeyId, PrivateKey signingKey, Map<String, PublicKey> publicKeys) {
        this.currentKeyId = currentKeyId;
        this.signingKey = signingKey;
        this.publicKeys = publicKeys;
    }

    /**
     * Reads the keys in {@code dir}; {@code dirSetting} and {@code keyIdSetting} are the configuration names used
     * in error messages, so an operator sees what to set. Fails with a message that says what is missing.
     */
    public static SigningKeyRing load(Optional<String> dir, Optional<String> currentKeyId, String dirSetting,
            String keyIdSetting) {
        if (dir.isEmpty() || dir.get().isBlank()) {
            throw new IllegalStateException(dirSetting + " is not set: mount the signing keys (<kid>.pem, PKCS#8"
                    + " Ed25519) as a directory and set " + dirSetting + " and " + keyIdSetting
                    + "; keys are never taken from the database");
        }
        Path directory = Path.of(dir.get());
        if (!Files.isDirectory(directory)) {
            throw new IllegalStateException(dirSetting + "=" + directory + " is not a directory");
        }
        if (currentKeyId.isEmpty() || currentKeyId.get().isBlank()) {
            throw new IllegalStateException(keyIdSetting + " is not set: name the key in " + directory
                    + " that signs (its file name without .pem)");
        }
        String current = currentKeyId.get().strip();
        Map<String, PrivateKey> privateKeys = new TreeMap<>();
        Map<String, PublicKey> publicKeys = new TreeMap<>();
        for (Path file : files(directory)) {
            String name = file.getFileName().toString();
            if (name.endsWith(Ed25519Keys.PUBLIC_SUFFIX)) {
                String kid = keyId(name, Ed25519Keys.PUBLIC_SUFFIX, file);
                publicKeys.put(kid, Ed25519Keys.readPublic(file));
            } else if (name.endsWith(Ed25519Keys.PRIVATE_SUFFIX)) {
                String kid = keyId(name, Ed25519Keys.PRIVATE_SUFFIX, file);
                privateKeys.put(kid, Ed25519Keys.readPrivate(file));
            }
        }
        for (Map.Entry<String, PrivateKey> entry : privateKeys.entrySet()) {
            PublicKey derived = Ed25519Keys.publicOf(entry.getValue());
            PublicKey given = publicKeys.get(entry.getKey());
            if (given != null && !given.equals(derived)) {
                throw new IllegalStateException("key " + entry.getKey() + " in " + directory
                        + ": the .pub.pem file is not the public half of the .pem file");
            }
            publicKeys.put(entry.getKey(), derived);
        }
        PrivateKey signing = privateKeys.get(current);
        if (signing == null) {
            throw new IllegalStateException(keyIdSetting + "=" + current + " but " + directory + " holds no "
                    + current + ".pem (private keys there: " + privateKeys.keySet() + ")");
        }
        return new SigningKeyRing(current, signing, Map.copyOf(publicKeys));
    }

    public String currentKeyId() {
        return currentKeyId;
    }

    /** Base64 Ed25519 signature of {@code data} with the current key (whose id the caller puts into the data). */
    public String sign(byte[] data) {
        return Ed25519Keys.sign(signingKey, data);
    }

    public Optional<PublicKey> publicKey(String keyId) {
        return Optional.ofNullable(keyId == null ? null : publicKeys.get(keyId));
    }

    /** Whether the key {@code keyId} signed {@code data}; an unknown key id is false. */
    public boolean verify(String keyId, byte[] data, String signature) {
        return publicKey(keyId).map(key -> Ed25519Keys.verify(key, data, signature)).orElse(false);
    }

    /** The current key first, then the retired ones by id. */
    public List<PublishedKey> published() {
        List<PublishedKey> keys = new ArrayList<>();
        publicKeys.entrySet().stream()
                .sorted(Comparator.comparing((Map.Entry<String, PublicKey> e) -> !e.getKey().equals(currentKeyId))
                        .thenComparing(Map.Entry::getKey))
                .forEach(e -> keys.add(new PublishedKey(e.getKey(), Ed25519Keys.ALGORITHM,
                        Ed25519Keys.publicKeyBase64(e.getValue()),
                        e.getKey().equals(currentKeyId) ? KeyStatus.CURRENT : KeyStatus.RETIRED)));
        return keys;
    }

    private static List<Path> files(Path directory) {
        try (Stream<Path> listing = Files.list(directory)) {
            // A Kubernetes secret volume links each key to ..data/<name>: follow the links, skip the dot entries.
            return listing.filter(p -> !p.getFileName().toString().startsWith(".")).filter(Files::isRegularFile)
                    .sorted().toList();
        } catch (IOException e) {
            throw new IllegalStateException("cannot list " + directory + ": " + e.getMessage(), e);
        }
    }

    private static String keyId(String fileName, String suffix, Path file) {
        String kid = fileName.substring(0, fileName.length() - suffix.length());
        if (!Ed25519Keys.KEY_ID.matcher(kid).matches()) {
            throw new IllegalStateException("key file " + file + ": the key id '" + kid + "' must match "
                    + Ed25519Keys.KEY_ID.pattern());
        }
        return kid;
    }
}
