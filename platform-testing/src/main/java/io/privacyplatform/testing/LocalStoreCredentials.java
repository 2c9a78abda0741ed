package io.privacyplatform.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.time.Duration;
import java.util.Base64;
import java.util.Set;

import io.smallrye.jwt.build.Jwt;

/**
 * The local run's credentials of each store and service: {@code main <jwt-key-dir> <token-dir> <signing-key-dir>
 * <name>...} writes, for every name, a store token {@code store-<name>.jwt} (role {@code store}, signed with the
 * local run's JWT key, valid {@value #LIFETIME_HOURS} hours: re-minted on every run) and, once, an Ed25519 event
 * signing key {@code <name>.pem} (PKCS#8; kept, so a store's registered key stays valid across runs). Run it with
 * umask 077: these are credentials, even if only local ones.
 */
public final class LocalStoreCredentials {

    static final int LIFETIME_HOURS = 12;

    private LocalStoreCredentials() {
    }

    public static void main(String[] args) throws IOException, GeneralSecurityException {
        if (args.length < 4) {
            System.err.println("usage: LocalStoreCredentials <jwt-key-dir> <token-dir> <signing-key-dir> <name>...");
            System.exit(2);
        }
        PrivateKey jwtKey = TestTokens.loadOrCreate(Path.of(args[0])).getPrivate();
        Path tokens = Files.createDirectories(Path.of(args[1]));
        Path signingKeys = Files.createDirectories(Path.of(args[2]));
        for (int i = 3; i < args.length; i++) {
            String name = args[i];
            Files.writeString(tokens.resolve("store-" + name + ".jwt"),
                    token(jwtKey, Duration.ofHours(LIFETIME_HOURS), name), StandardCharsets.US_ASCII);
            Path signingKey = signingKeys.resolve(name + ".pem");
            if (!Files.exists(signingKey)) {
                // PKCS#8 PEM, as openssl genpkey -algorithm ed25519 writes it (privacy-events' Ed25519Keys reads
                // it; this module cannot use that class: privacy-events tests with this module).
                byte[] der = KeyPairGenerator.getInstance("Ed25519").generateKeyPair().getPrivate().getEncoded();
                Files.writeString(signingKey, "-----BEGIN PRIVATE KEY-----\n"
                        + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                        + "\n-----END PRIVATE KEY-----\n", StandardCharsets.US_ASCII);
            }
        }
    }

    /**
     * The claims of a store's token: the same for the tests' and the local run's. Its only audience is
     * retention-service, the one service a store calls (to register its system on the data map).
     */
    static String token(PrivateKey key, Duration lifetime, String systemName) {
        return Jwt.issuer(TestTokens.ISSUER)
                .upn(systemName)
                .subject(systemName)
                .groups(Set.of("store"))
                .audience("retention-service")
                .claim("tenant", "platform")
                .expiresIn(lifetime)
                .sign(key);
    }
}
