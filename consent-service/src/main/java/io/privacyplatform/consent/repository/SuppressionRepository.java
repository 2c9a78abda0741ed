package io.privacyplatform.consent.repository;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

/** The do-not-e-mail list ({@code suppression}): per tenant and purpose, keyed hashes of subject ids. */
@ApplicationScoped
public class SuppressionRepository {

    @Inject
    EntityManager entityManager;

    public void add(String tenantId, String purposeId, String subjectHash) {
        entityManager.createNativeQuery("""
                INSERT INTO suppression (tenant_id, purpose_id, subject_hash) VALUES (?1, ?2, ?3)
                ON CONFLICT DO NOTHING""")
                .setParameter(1, tenantId).setParameter(2, purposeId).setParameter(3, subjectHash).executeUpdate();
    }

    public boolean contains(String tenantId, String purposeId, String subjectHash) {
        return ((Number) entityManager.createNativeQuery("""
                SELECT count(*) FROM suppression WHERE tenant_id = ?1 AND purpose_id = ?2 AND subject_hash = ?3""")
                .setParameter(1, tenantId).setParameter(2, purposeId).setParameter(3, subjectHash)
                .getSingleResult()).longValue() > 0;
    }
}
