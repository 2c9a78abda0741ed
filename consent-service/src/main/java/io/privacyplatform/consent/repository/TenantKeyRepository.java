package io.privacyplatform.consent.repository;

import java.security.SecureRandom;
import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

/** Each tenant's random HMAC key ({@code tenant_key}), made on first use. */
@ApplicationScoped
public class TenantKeyRepository {

    private static final SecureRandom RANDOM = new SecureRandom();

    @Inject
    EntityManager entityManager;

    /** The tenant's key; a new random 256-bit key when it has none yet (two first uses agree on one). */
    public byte[] keyOf(String tenantId, Instant now) {
        byte[] candidate = new byte[32];
        RANDOM.nextBytes(candidate);
        entityManager.createNativeQuery("""
                INSERT INTO tenant_key (tenant_id, hmac_key, created_at) VALUES (?1, ?2, ?3)
                ON CONFLICT (tenant_id) DO NOTHING""")
                .setParameter(1, tenantId).setParameter(2, candidate).setParameter(3, now).executeUpdate();
        return (byte[]) entityManager.createNativeQuery("SELECT hmac_key FROM tenant_key WHERE tenant_id = ?1")
                .setParameter(1, tenantId).getSingleResult();
    }
}
