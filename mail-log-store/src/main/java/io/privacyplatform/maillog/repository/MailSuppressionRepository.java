package io.privacyplatform.maillog.repository;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

/** The do-not-send list ({@code mail_suppression}), by account, subject pseudonym and purpose. */
@ApplicationScoped
public class MailSuppressionRepository {

    @Inject
    EntityManager entityManager;

    /** Suppresses the purpose for the subject; a later withdrawal of the same purpose replaces the entry. */
    public void suppress(String tenantId, String subjectPseudonym, String purposeId, UUID consentId, Instant at) {
        entityManager.createNativeQuery("""
                INSERT INTO mail_suppression (tenant_id, subject_pseudonym, purpose_id, consent_id, suppressed_at)
                VALUES (?1, ?2, ?3, CAST(?4 AS uuid), ?5)
                ON CONFLICT (tenant_id, subject_pseudonym, purpose_id)
                    DO UPDATE SET consent_id = excluded.consent_id, suppressed_at = excluded.suppressed_at""")
                .setParameter(1, tenantId).setParameter(2, subjectPseudonym).setParameter(3, purposeId)
                .setParameter(4, consentId.toString()).setParameter(5, Timestamp.from(at)).executeUpdate();
    }

    /** Lifts the suppression of the purpose for the subject (a new grant); answers whether there was one. */
    public boolean lift(String tenantId, String subjectPseudonym, String purposeId) {
        return entityManager.createNativeQuery("""
                DELETE FROM mail_suppression WHERE tenant_id = ?1 AND subject_pseudonym = ?2 AND purpose_id = ?3""")
                .setParameter(1, tenantId).setParameter(2, subjectPseudonym).setParameter(3, purposeId)
                .executeUpdate() > 0;
    }

    public boolean isSuppressed(String tenantId, String subjectPseudonym, String purposeId) {
        return !entityManager.createNativeQuery("""
                SELECT 1 FROM mail_suppression WHERE tenant_id = ?1 AND subject_pseudonym = ?2 AND purpose_id = ?3""")
                .setParameter(1, tenantId).setParameter(2, subjectPseudonym).setParameter(3, purposeId)
                .getResultList().isEmpty();
    }
}
