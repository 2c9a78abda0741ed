package io.privacyplatform.request.service;

import java.util.List;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.privacyplatform.request.config.RequestsConfig;
import io.privacyplatform.support.security.PublishedKey;
import io.privacyplatform.support.security.SigningKeyRing;
import io.quarkus.runtime.Startup;

/**
 * The keys that sign audit anchors, from {@code requests.audit.keys-dir} (a mounted secret, never the database:
 * whoever can rewrite the audit rows must not be able to sign a matching anchor). Read at start, so a service
 * without its key does not start.
 */
@Startup
@ApplicationScoped
public class AuditSigningKeys {

    @Inject
    RequestsConfig config;

    private SigningKeyRing keys;

    @PostConstruct
    void load() {
        keys = SigningKeyRing.load(config.audit().keysDir(), config.audit().currentKeyId(),
                "requests.audit.keys-dir", "requests.audit.current-key-id");
    }

    public String currentKeyId() {
        return keys.currentKeyId();
    }

    public String sign(byte[] data) {
        return keys.sign(data);
    }

    public boolean verify(String keyId, byte[] data, String signature) {
        return keys.verify(keyId, data, signature);
    }

    public List<PublishedKey> published() {
        return keys.published();
    }
}
