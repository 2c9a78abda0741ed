package io.privacyplatform.request.service;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import jakarta.inject.Singleton;

import org.jboss.logging.Logger;
import org.jose4j.jwe.ContentEncryptionAlgorithmIdentifiers;
import org.jose4j.jwe.JsonWebEncryption;
import org.jose4j.jwe.KeyManagementAlgorithmIdentifiers;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.lang.JoseException;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.privacyplatform.request.config.RequestsConfig;
import io.privacyplatform.support.error.ApiException;

/**
 * Seals a notification's sensitive parameters (a verification code) for the mailer, so they never travel on
 * {@code privacy.notification.v1} or rest in the outbox in clear: they leave {@code params} and go, as one JSON
 * object, into {@code params.sealed}, a compact JWE (RSA-OAEP-256 key wrapping, A256GCM content encryption) for the
 * mailer's public key {@code requests.mailer.public-key}. The header's {@code kid} is the key's RFC 7638 thumbprint,
 * so a mailer rotating keys knows which private key opens it. The format is in docs/events.md, Notification.
 */
@Singleton
public class MailerSeal {

    /** The parameter that carries the sealed ones. */
    public static final String SEALED = "sealed";
    /** Parameters that are never sent in clear. */
    public static final Set<String> SENSITIVE = Set.of("code");

    private static final Logger LOG = Logger.getLogger(MailerSeal.class);

    private final RSAPublicKey key;
    private final String keyId;
    private final ObjectMapper mapper;

    public MailerSeal(RequestsConfig config, ObjectMapper mapper) {
        this.mapper = mapper;
        this.key = config.mailer().publicKey().filter(text -> !text.isBlank()).map(MailerSeal::parse).orElse(null);
        if (key == null) {
            LOG.warn("requests.mailer.public-key is not set: no verification code can be sent");
            this.keyId = null;
        } else {
            this.keyId = thumbprint(key);
        }
    }

    /**
     * {@code params} with every {@link #SENSITIVE} one replaced by {@link #SEALED}; unchanged when none is there.
     *
     * @throws ApiException 503 {@code mailer_key_missing} when there is something to seal but no key to seal it
     */
    public Map<String, String> seal(Map<String, String> params) {
        Map<String, String> clear = new LinkedHashMap<>();
        Map<String, String> secret = new TreeMap<>();
        params.forEach((name, value) -> (SENSITIVE.contains(name) ? secret : clear).put(name, value));
        if (secret.isEmpty()) {
            return params;
        }
        if (key == null) {
            throw new ApiException(503, "mailer_key_missing",
                    "verification codes cannot be sent: the mailer's public key is not configured", null);
        }
        clear.put(SEALED, encrypt(json(secret)));
        return clear;
    }

    private String encrypt(String payload) {
        JsonWebEncryption jwe = new JsonWebEncryption();
        jwe.setAlgorithmHeaderValue(KeyManagementAlgorithmIdentifiers.RSA_OAEP_256);
        jwe.setEncryptionMethodHeaderParameter(ContentEncryptionAlgorithmIdentifiers.AES_256_GCM);
        jwe.setKeyIdHeaderValue(keyId);
        jwe.setKey(key);
        jwe.setPayload(payload);
        try {
            return jwe.getCompactSerialization();
        } catch (JoseException e) {
            throw new IllegalStateException("could not seal notification parameters", e);
        }
    }

    private String json(Map<String, String> values) {
        try {
            return mapper.writeValueAsString(values);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static RSAPublicKey parse(String base64) {
        try {
            return (RSAPublicKey) KeyFactory.getInstance("RSA")
                    .generatePublic(new X509EncodedKeySpec(Base64.getMimeDecoder().decode(base64.trim())));
        } catch (GeneralSecurityException | IllegalArgumentException | ClassCastException e) {
            throw new IllegalStateException("requests.mailer.public-key is not a base64 X.509 RSA public key", e);
        }
    }

    private static String thumbprint(RSAPublicKey key) {
        try {
            return PublicJsonWebKey.Factory.newPublicJwk(key).calculateBase64urlEncodedThumbprint("SHA-256");
        } catch (JoseException e) {
            throw new IllegalStateException(e);
        }
    }
}
