package io.privacyplatform.support.security;

import java.nio.file.Path;
import java.security.KeyPair;
import java.util.Optional;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.privacyplatform.events.Ed25519Keys;
import io.privacyplatform.events.EventSignature;
import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.StartupEvent;

/**
 * This service's Ed25519 event signing key: the outbox relay signs every event it publishes with it, and a store
 * registers its public half on retention-service's data map, which accepts the store's acks only when they verify
 * with it. Read from {@code privacy.events.signing-key-file} (PKCS#8 PEM, {@code openssl genpkey -algorithm
 * ed25519}); in dev and test, without a file, a key made at start serves (a store then registers its new public
 * key on every start). In prod a missing or unreadable file stops the service at start.
 */
@ApplicationScoped
public class ServiceSigningKey {

    private static final Logger LOG = Logger.getLogger(ServiceSigningKey.class);

    @ConfigProperty(name = "privacy.events.signing-key-file")
    Optional<Path> keyFile;

    @ConfigProperty(name = "privacy.service.name")
    String serviceName;

    private KeyPair keys;
    private EventSignature signature;

    @PostConstruct
    void load() {
        keys = keyFile.map(ServiceSigningKey::read).orElseGet(this::ephemeral);
        signature = new EventSignature(serviceName, keys.getPrivate());
    }

    /** Loads the key when the service starts, so a prod service without one fails then, not at its first event. */
    void onStart(@Observes StartupEvent event) {
        signature();
    }

    public EventSignature signature() {
        return signature;
    }

    /** The public half, base64 X.509, as the data map keeps it ({@code ackPublicKey}). */
    public String publicKeyBase64() {
        return Ed25519Keys.publicKeyBase64(keys.getPublic());
    }

    private static KeyPair read(Path file) {
        try {
            return Ed25519Keys.readKeyPair(file);
        } catch (IllegalStateException e) {
            throw new IllegalStateException("cannot read privacy.events.signing-key-file " + file, e);
        }
    }

    private KeyPair ephemeral() {
        if (LaunchMode.current() == LaunchMode.NORMAL) {
            throw new IllegalStateException("privacy.events.signing-key-file is required: " + serviceName
                    + " signs the events it publishes (stores' acks are accepted only with a valid signature)");
        }
        LOG.infof("no privacy.events.signing-key-file: signing events with a key made for this %s run",
                LaunchMode.current().getDefaultProfile());
        return Ed25519Keys.generate();
    }
}
