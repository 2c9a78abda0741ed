package io.privacyplatform.retention.service;

import java.nio.charset.StandardCharsets;
import java.util.List;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;

import io.privacyplatform.retention.config.RetentionConfig;
import io.privacyplatform.support.security.PublishedKey;
import io.privacyplatform.support.security.SigningKeyRing;
import io.quarkus.runtime.Startup;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Signs deletion certificates with Ed25519, with the current key of {@code retention.certificate.keys-dir} (a
 * mounted secret, never the database: whoever can write the database must not be able to forge a certificate). The
 * keys are read at start, so a service without its key does not start rather than fail at the first erasure. The
 * certificate names its {@code keyId} inside what is signed; retired keys stay published for verification.
 * <p>
 * <b>Canonical form</b> (what is signed): the certificate without {@code signature}, as JSON in UTF-8 with object
 * keys sorted (Java {@code String} order) at every level, no whitespace, absent values left out, instants as
 * ISO-8601 UTC strings, {@code systems} ordered by {@code system}, a system's {@code retained} by {@code category}
 * and its {@code deleted} categories alphabetically, and {@code held} by {@code category}.
 */
@Startup
@ApplicationScoped
public class CertificateSigner {

    /** Sorted keys and no whitespace: the canonical JSON writer. Only maps and lists of plain values go in. */
    public static final ObjectMapper CANONICAL = JsonMapper.builder()
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
            .disable(SerializationFeature.INDENT_OUTPUT)
            .build();

    @Inject
    RetentionConfig config;

    private SigningKeyRing keys;

    @PostConstruct
    void loadKeys() {
        keys = SigningKeyRing.load(config.certificate().keysDir(), config.certificate().currentKeyId(),
                "retention.certificate.keys-dir", "retention.certificate.current-key-id");
    }

    public String canonical(Object certificateWithoutSignature) {
        try {
            return CANONICAL.writeValueAsString(certificateWithoutSignature);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write certificate", e);
        }
    }

    /** The id of the key {@link #sign} uses: the certificate states it in its signed body. */
    public String keyId() {
        return keys.currentKeyId();
    }

    /** Base64 of the Ed25519 signature over the UTF-8 bytes of {@code canonical}, with the current key. */
    public String sign(String canonical) {
        return keys.sign(canonical.getBytes(StandardCharsets.UTF_8));
    }

    /** The current key and every retired one: what verifies a certificate, picked by its {@code keyId}. */
    public List<PublishedKey> publishedKeys() {
        return keys.published();
    }
}
