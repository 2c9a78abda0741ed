package io.privacyplatform.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;

/**
 * An RSA key pair for the local run, kept as {@code private.pem} and {@code public.pem} in the folder given: made
 * the first time, read afterwards (the same way {@link TestTokens} keeps the token-signing pair). The local run uses
 * it as the mailer's key: request-service seals verification codes for its public half, and whoever plays the
 * mailer opens them with the private half.
 */
public final class LocalKeyPair {

    private LocalKeyPair() {
    }

    /** {@code main <key-dir>}. */
    public static void main(String[] args) throws IOException, GeneralSecurityException {
        if (args.length != 1) {
            System.err.println("usage: LocalKeyPair <key-dir>");
            System.exit(2);
        }
        Path keyDir = Path.of(args[0]);
        Files.createDirectories(keyDir);
        TestTokens.loadOrCreate(keyDir);
    }
}
