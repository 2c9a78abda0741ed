package io.privacyplatform.consent.service;

import java.time.Clock;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

/**
 * Subjects under a restriction of processing (Art. 18 GDPR), set by a verified {@code restriction} request or a
 * {@code RESTRICT} command: their existing decisions stay readable, new grants for non-essential purposes are refused.
 */
@ApplicationScoped
public class SubjectRestrictions {

    @Inject
    EntityManager entityManager;

    @Inject
    Clock clock;

    @Transactional(Transactional.TxType.MANDATORY)
    public boolean isRestricted(String tenantId, String subjectId) {
        return ((Number) entityManager.createNativeQuery(
                "SELECT count(*) FROM restricted_subject WHERE tenant_id = ?1 AND subject_id = ?2")
                .setParameter(1, tenantId).setParameter(2, subjectId).getSingleResult()).longValue() > 0;
    }

    /** @return whether the subject was not restricted before */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean restrict(String tenantId, String subjectId, String requestId) {
        return entityManager.createNativeQuery("""
                INSERT INTO restricted_subject (tenant_id, subject_id, request_id, restricted_at)
                VALUES (?1, ?2, ?3, ?4) ON CONFLICT DO NOTHING""")
                .setParameter(1, tenantId).setParameter(2, subjectId).setParameter(3, requestId)
                .setParameter(4, clock.instant()).executeUpdate() == 1;
    }

    /** @return whether the subject was restricted */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean lift(String tenantId, String subjectId) {
        return entityManager.createNativeQuery(
                "DELETE FROM restricted_subject WHERE tenant_id = ?1 AND subject_id = ?2")
                .setParameter(1, tenantId).setParameter(2, subjectId).executeUpdate() == 1;
    }
}
