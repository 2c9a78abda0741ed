package io.privacyplatform.retention.repository;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import io.privacyplatform.retention.LegalHold;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;

/** Legal holds; every read is scoped to a tenant. */
@ApplicationScoped
public class LegalHoldRepository implements PanacheRepositoryBase<LegalHold, UUID> {

    /** Newest first by (createdAt, id), after the cursor position if given; {@code limit + 1} rows at most. */
    public List<LegalHold> page(String tenantId, Instant beforeAt, UUID beforeId, int limit) {
        if (beforeAt == null) {
            return find("tenantId = ?1 order by createdAt desc, id desc", tenantId).page(0, limit + 1).list();
        }
        return find("tenantId = ?1 and (createdAt < ?2 or (createdAt = ?2 and id < ?3))"
                + " order by createdAt desc, id desc", tenantId, beforeAt, beforeId).page(0, limit + 1).list();
    }

    /** Every hold on the subject, in force or not, oldest first. */
    public List<LegalHold> ofSubject(String tenantId, String subjectPseudonym) {
        return list("tenantId = ?1 and subjectPseudonym = ?2 order by createdAt", tenantId, subjectPseudonym);
    }

    /**
     * Whether any hold in force, in any tenant, covers the category: a PURGE cuts every account's data by age and
     * cannot spare one subject, so it waits while such a hold exists.
     */
    public boolean anyActiveFor(String category, Instant now) {
        return !getEntityManager().createNativeQuery("SELECT 1 FROM legal_hold WHERE ?1 = ANY (categories)"
                + " AND released_at IS NULL AND (until IS NULL OR until > ?2) LIMIT 1")
                .setParameter(1, category).setParameter(2, now).getResultList().isEmpty();
    }
}
