package io.privacyplatform.retention.service;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.time.Clock;
import java.util.Base64;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;

import io.privacyplatform.retention.config.RetentionConfig;
import io.privacyplatform.retention.repository.SigningKeyRepository;
import io.privacyplatform.retention.repository.SigningKeyRepository.StoredKey;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Signs deletion certificates with Ed25519. The key is {@code retention.certificate.private-key}/{@code public-key}
 * when configured; otherwise one key pair is generated the first time and kept in {@code signing_key}, so every
 * instance signs with the same key and certificates stay verifiable across restarts.
 * <p>
 * <b>Canonical form</b> (what is signed): the certificate without {@code signature}, as JSON in UTF-8 with object
 * keys sorted (Java {@code String} order) at every level, no whitespace, absent values left out, instants as
 * ISO-8601 UTC strings, {@code systems} ordered by {@code system}, a system's {@code retained} by {@code category}
 * and its {@code deleted} categories alphabetically, and {@code held} by {@code category}.
 */
@ApplicationScoped
public class CertificateSigner {

    public static final String ALGORITHM = "Ed25519";
    private static final String KEY_ID = "certificate";

    /** Sorted keys and no whitespace: the canonical JSON writer. Only maps and lists of plain values go in. */
    public static final ObjectMapper CANONICAL = JsonMapper.builder()
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
            .disable(SerializationFeature.INDENT_OUTPUT)
            .build();

    @Inject
    RetentionConfig config;

    @Inject
    SigningKeyRepository signingKeys;

    @Inject
    Clock clock;

    private volatile KeyPair keys;

    public String canonical(Object certificateWithoutSignature) {
        try {
            return CANONICAL.writeValueAsString(certificateWithoutSignature);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write certificate", e);
        }
    }

    /** Base64 of the Ed25519 signature over the UTF-8 bytes of {@code canonical}. */
    public String sign(String canonical) {
        try {
            Signature signature = Signature.getInstance(ALGORITHM);
            signature.initSign(keys().getPrivate());
            signature.update(canonical.getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(signature.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign certificate", e);
        }
    }

    /** Base64 X.509 SubjectPublicKeyInfo of the verification key. */
    public String publicKey() {
        return Base64.getEncoder().encodeToString(keys().getPublic().getEncoded());
    }

    private KeyPair keys() {
        KeyPair current = keys;
        if (current == null) {
            synchronized (this) {
                if (keys == null) {
                    keys = load();
                }
                current = keys;
            }
        }
        return current;
    }

    private KeyPair load() {
        try {
            KeyFactory factory = KeyFactory.getInstance(ALGORITHM);
            if (config.certificate().privateKey().isPresent() || config.certificate().publicKey().isPresent()) {
                if (config.certificate().privateKey().isEmpty() || config.certificate().publicKey().isEmpty()) {
                    throw new IllegalStateException("retention.certificate.private-key and public-key go together");
                }
                return decode(factory, config.certificate().privateKey().get(),
                        config.certificate().publicKey().get());
            }
            KeyPair fresh = KeyPairGenerator.getInstance(ALGORITHM).generateKeyPair();
            Base64.Encoder base64 = Base64.getEncoder();
            // Another instance may have stored its key first: the stored one wins.
            StoredKey stored = QuarkusTransaction.requiringNew().call(() -> signingKeys.storeIfAbsent(KEY_ID,
                    ALGORITHM, base64.encodeToString(fresh.getPrivate().getEncoded()),
                    base64.encodeToString(fresh.getPublic().getEncoded()), clock.instant()));
            return decode(factory, stored.privateKey(), stored.publicKey());
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalStateException("cannot load the certificate signing key", e);
        }
    }

    private static KeyPair decode(KeyFactory factory, String privateKey, String publicKey)
            throws GeneralSecurityException {
        PrivateKey priv = factory.generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(privateKey)));
        PublicKey pub = factory.generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(publicKey)));
        return new KeyPair(pub, priv);
    }
}
