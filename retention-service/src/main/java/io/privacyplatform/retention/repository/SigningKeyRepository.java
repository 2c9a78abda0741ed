package io.privacyplatform.retention.repository;

import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

/** The stored certificate signing key pair ({@code signing_key}), base64-encoded. */
@ApplicationScoped
public class SigningKeyRepository {

    public record StoredKey(String privateKey, String publicKey) {
    }

    @Inject
    EntityManager entityManager;

    /** Stores the key pair under {@code id} unless one is there, and returns the stored one: the first one wins. */
    public StoredKey storeIfAbsent(String id, String algorithm, String privateKey, String publicKey, Instant now) {
        entityManager.createNativeQuery("INSERT INTO signing_key (id, algorithm, private_key, public_key,"
                + " created_at) VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (id) DO NOTHING")
                .setParameter(1, id).setParameter(2, algorithm).setParameter(3, privateKey)
                .setParameter(4, publicKey).setParameter(5, now).executeUpdate();
        Object[] row = (Object[]) entityManager.createNativeQuery(
                "SELECT private_key, public_key FROM signing_key WHERE id = ?1")
                .setParameter(1, id).getSingleResult();
        return new StoredKey((String) row[0], (String) row[1]);
    }
}
