package io.privacyplatform.support.auth;

import java.time.Duration;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.concurrent.ConcurrentHashMap;

import javax.crypto.SecretKey;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.jwt.JsonWebToken;

import io.smallrye.jwt.auth.principal.DefaultJWTParser;
import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import io.smallrye.jwt.auth.principal.JWTParser;
import io.smallrye.jwt.auth.principal.ParseException;

/**
 * Verifies a bearer token once and answers its repeats from memory until it expires (at most
 * {@code privacy.auth.verified-token-cache.max-age}). An app sends the same token with thousands of requests; checking
 * its RS256 signature again each time cost ~9% of consent-service's CPU under write load (bench/PROFILE.md).
 * <p>
 * The cache key is the whole token, so a token that differs in any byte (another signature, claim or audience) is
 * verified in full; a hit is re-checked against the token's {@code exp}. The bound is small on purpose
 * ({@code max-entries}): a flood of distinct tokens costs only the cache, which is then emptied. Only
 * {@link #parse(String)} (the service's own verification settings) is cached; the other methods verify every time.
 */
@Alternative
@Priority(1)
@ApplicationScoped
public class VerifiedTokenCache implements JWTParser {

    @Inject
    DefaultJWTParser verifier;

    @ConfigProperty(name = "privacy.auth.verified-token-cache.max-entries", defaultValue = "1000")
    int maxEntries;

    @ConfigProperty(name = "privacy.auth.verified-token-cache.max-age", defaultValue = "PT5M")
    Duration maxAge;

    private final ConcurrentHashMap<String, Verified> verified = new ConcurrentHashMap<>();

    private record Verified(JsonWebToken token, long validUntilMillis) {
    }

    @Override
    public JsonWebToken parse(String token) throws ParseException {
        // Wall-clock time, as the verifier uses for exp (not the platform clock, which tests move).
        long now = System.currentTimeMillis();
        Verified hit = verified.get(token);
        if (hit != null) {
            if (now < hit.validUntilMillis()) {
                return hit.token();
            }
            verified.remove(token, hit);
        }
        JsonWebToken jwt = verifier.parse(token);
        if (maxEntries > 0) {
            if (verified.size() >= maxEntries) {
                verified.clear();
            }
            long expires = jwt.getExpirationTime() * 1000L;
            verified.put(token, new Verified(jwt, Math.min(expires, now + maxAge.toMillis())));
        }
        return jwt;
    }

    @Override
    public JsonWebToken parse(String token, JWTAuthContextInfo context) throws ParseException {
        return verifier.parse(token, context);
    }

    @Override
    public JsonWebToken verify(String token, PublicKey key) throws ParseException {
        return verifier.verify(token, key);
    }

    @Override
    public JsonWebToken verify(String token, SecretKey key) throws ParseException {
        return verifier.verify(token, key);
    }

    @Override
    public JsonWebToken verify(String token, String secret) throws ParseException {
        return verifier.verify(token, secret);
    }

    @Override
    public JsonWebToken decrypt(String token, PrivateKey key) throws ParseException {
        return verifier.decrypt(token, key);
    }

    @Override
    public JsonWebToken decrypt(String token, SecretKey key) throws ParseException {
        return verifier.decrypt(token, key);
    }

    @Override
    public JsonWebToken decrypt(String token, String secret) throws ParseException {
        return verifier.decrypt(token, secret);
    }

    @Override
    public JsonWebToken parseOnly(String token) throws ParseException {
        return verifier.parseOnly(token);
    }
}
