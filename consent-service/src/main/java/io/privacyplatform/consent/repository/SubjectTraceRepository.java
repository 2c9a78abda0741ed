package io.privacyplatform.consent.repository;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

/**
 * Copies of a subject in platform-support's tables of this database: stored answers to {@code Idempotency-Key}
 * requests (they repeat the subject id) and sent events (keyed by the subject's pseudonym). Pending events are left
 * to the relay: deleting them would lose a ConsentChanged that internal systems must still see.
 */
@ApplicationScoped
public class SubjectTraceRepository {

    @Inject
    EntityManager entityManager;

    /** @param subjectIdJson the subject id as a JSON string, quotes included */
    public int deleteIdempotentResponses(String tenantId, String subjectIdJson) {
        return entityManager.createNativeQuery(
                "DELETE FROM idempotency_key WHERE tenant_id = ?1 AND strpos(response_body, ?2) > 0")
                .setParameter(1, tenantId).setParameter(2, "\"subjectId\":" + subjectIdJson).executeUpdate();
    }

    public int deleteSentEvents(String tenantId, String recordKey) {
        return entityManager.createNativeQuery(
                "DELETE FROM outbox_event WHERE tenant_id = ?1 AND record_key = ?2 AND sent_at IS NOT NULL")
                .setParameter(1, tenantId).setParameter(2, recordKey).executeUpdate();
    }
}
