package io.privacyplatform.consent.repository;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

/** Subjects under a restriction of processing ({@code restricted_subject}), by tenant and subject id. */
@ApplicationScoped
public class RestrictedSubjectRepository {

    @Inject
    EntityManager entityManager;

    public boolean isRestricted(String tenantId, String subjectId) {
        return ((Number) entityManager.createNativeQuery(
                "SELECT count(*) FROM restricted_subject WHERE tenant_id = ?1 AND subject_id = ?2")
                .setParameter(1, tenantId).setParameter(2, subjectId).getSingleResult()).longValue() > 0;
    }

    /** Since when the subject is restricted; empty when it is not. */
    @SuppressWarnings("unchecked")
    public Optional<Instant> restrictedSince(String tenantId, String subjectId) {
        List<Object> rows = entityManager.createNativeQuery(
                "SELECT restricted_at FROM restricted_subject WHERE tenant_id = ?1 AND subject_id = ?2")
                .setParameter(1, tenantId).setParameter(2, subjectId).getResultList();
        return rows.stream().findFirst().map(SqlValues::instant);
    }

    /** @return whether the subject was not restricted before */
    public boolean add(String tenantId, String subjectId, String requestId, Instant restrictedAt) {
        return entityManager.createNativeQuery("""
                INSERT INTO restricted_subject (tenant_id, subject_id, request_id, restricted_at)
                VALUES (?1, ?2, ?3, ?4) ON CONFLICT DO NOTHING""")
                .setParameter(1, tenantId).setParameter(2, subjectId).setParameter(3, requestId)
                .setParameter(4, restrictedAt).executeUpdate() == 1;
    }

    /** @return whether the subject was restricted */
    public boolean remove(String tenantId, String subjectId) {
        return entityManager.createNativeQuery(
                "DELETE FROM restricted_subject WHERE tenant_id = ?1 AND subject_id = ?2")
                .setParameter(1, tenantId).setParameter(2, subjectId).executeUpdate() == 1;
    }
}
