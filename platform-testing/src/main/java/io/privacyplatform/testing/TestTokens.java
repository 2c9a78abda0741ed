package io.privacyplatform.testing;

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
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Set;

import io.smallrye.jwt.build.Jwt;

/**
 * Bearer tokens. Tests sign with a key pair made for this JVM only: no key is kept in the repository, and the
 * services under test verify with its public half ({@link #publicKeyBase64()}). The local run ({@link #main}) signs
 * with a key pair kept in PEM files, which the services read through {@code MP_JWT_VERIFY_PUBLICKEY_LOCATION}.
 * Each service accepts only tokens whose {@code aud} names it ({@code mp.jwt.verify.audiences}); tokens are for
 * every service ({@link #SERVICES}) unless minted for one ({@link #forAudience}).
 */
public final class TestTokens {

    public static final String ISSUER = "privacy-platform";
    /** The local run's tenants and roles: one token for each pair. */
    static final List<String> LOCAL_TENANTS = List.of("platform", "acme");
    static final List<String> LOCAL_ROLES = List.of("app", "operator", "admin");
    /** Short: a leaked local token is of use for hours, not weeks; {@code deploy/local/tokens.sh} mints new ones. */
    static final Duration LOCAL_LIFETIME = Duration.ofHours(8);
    /** The services, each of which checks that a token's {@code aud} names it. */
    public static final List<String> SERVICES = List.of("consent-service", "request-service", "retention-service",
            "mail-log-store");

    private TestTokens() {
    }

    /** A token of {@code tenant} with one role ({@code app}, {@code operator} or {@code admin}), for every service. */
    public static String of(String tenant, String... roles) {
        return sign(JvmKeys.KEYS.getPrivate(), Duration.ofHours(1), SERVICES, tenant, roles);
    }

    /** A token like {@link #of} that expires after {@code lifetime} (for what must end with a token's life). */
    public static String expiringIn(Duration lifetime, String tenant, String... roles) {
        return sign(JvmKeys.KEYS.getPrivate(), lifetime, SERVICES, tenant, roles);
    }

    public static String bearer(String tenant, String... roles) {
        return "Bearer " + of(tenant, roles);
    }

    /** A token that only the service named {@code audience} accepts (any other answers 401). */
    public static String forAudience(String audience, String tenant, String... roles) {
        return sign(JvmKeys.KEYS.getPrivate(), Duration.ofHours(1), List.of(audience), tenant, roles);
    }

    public static String bearerFor(String audience, String tenant, String... roles) {
        return "Bearer " + forAudience(audience, tenant, roles);
    }

    /** The verification key as base64 DER, the form {@code mp.jwt.verify.publickey} takes. */
    public static String publicKeyBase64() {
        return Base64.getEncoder().encodeToString(JvmKeys.KEYS.getPublic().getEncoded());
    }

    /**
     * The local run's tokens: {@code main <key-dir> <token-dir> [<service>]} reads the key pair from
     * {@code private.pem} and {@code public.pem} in key-dir (making and saving one the first time, so the running
     * services keep verifying), and writes a token for every local tenant and role into token-dir, valid
     * {@link #LOCAL_LIFETIME}: {@code <tenant>-<role>.jwt} for every service, or with a service name
     * {@code <tenant>-<role>.<service>.jwt} for that service only. Run it with umask 077: keys and tokens are
     * credentials, even if only local ones.
     */
    public static void main(String[] args) throws IOException, GeneralSecurityException {
        if (args.length < 2 || args.length > 3 || (args.length == 3 && !SERVICES.contains(args[2]))) {
            System.err.println("usage: TestTokens <key-dir> <token-dir> [" + String.join("|", SERVICES) + "]");
            System.exit(2);
        }
        KeyPair keys = loadOrCreate(Path.of(args[0]));
        Path tokens = Files.createDirectories(Path.of(args[1]));
        List<String> audiences = args.length == 3 ? List.of(args[2]) : SERVICES;
        String suffix = args.length == 3 ? "." + args[2] + ".jwt" : ".jwt";
        for (String tenant : LOCAL_TENANTS) {
            for (String role : LOCAL_ROLES) {
                Files.writeString(tokens.resolve(tenant + "-" + role + suffix),
                        sign(keys.getPrivate(), LOCAL_LIFETIME, audiences, tenant, role), StandardCharsets.US_ASCII);
            }
        }
    }

    private static String sign(PrivateKey key, Duration lifetime, List<String> audiences, String tenant,
            String... roles) {
        String name = tenant + "-" + String.join("-", roles);
        return Jwt.issuer(ISSUER)
                .audience(Set.copyOf(audiences))
                .upn(name)
                .subject(name)
                .groups(Set.of(roles))
                .claim("tenant", tenant)
                .expiresIn(lifetime)
                .sign(key);
    }

    static KeyPair loadOrCreate(Path keyDir) throws IOException, GeneralSecurityException {
        Path privatePem = keyDir.resolve("private.pem");
        Path publicPem = keyDir.resolve("public.pem");
        KeyFactory rsa = KeyFactory.getInstance("RSA");
        if (Files.exists(privatePem) && Files.exists(publicPem)) {
            return new KeyPair(rsa.generatePublic(new X509EncodedKeySpec(pemBody(publicPem))),
                    rsa.generatePrivate(new PKCS8EncodedKeySpec(pemBody(privatePem))));
        }
        KeyPair keys = generate();
        Files.createDirectories(keyDir);
        Files.writeString(privatePem, pem("PRIVATE KEY", keys.getPrivate().getEncoded()), StandardCharsets.US_ASCII);
        Files.writeString(publicPem, pem("PUBLIC KEY", keys.getPublic().getEncoded()), StandardCharsets.US_ASCII);
        return keys;
    }

    /** The DER bytes of a PEM file ({@code PRIVATE KEY} is PKCS#8, {@code PUBLIC KEY} X.509, as openssl writes). */
    private static byte[] pemBody(Path file) throws IOException {
        String base64 = Files.readString(file, StandardCharsets.US_ASCII).replaceAll("-----[A-Z ]+-----", "")
                .replaceAll("\\s", "");
        return Base64.getDecoder().decode(base64);
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    /** Made on first use only, so the local run's main does not pay for a key it does not use. */
    private static final class JvmKeys {
        static final KeyPair KEYS = generate();
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

    /**
     * A store's token, as a store registers itself on the data map with: tenant {@code platform}, role {@code store},
     * named ({@code upn} and {@code sub}) after the system, valid one hour. See {@link LocalStoreCredentials} for
     * the local run's.
     */
    public static String store(String systemName) {
        return LocalStoreCredentials.token(JvmKeys.KEYS.getPrivate(), Duration.ofHours(1), systemName);
    }
}
