package io.privacyplatform.retention.repository;

import java.time.Instant;
import java.util.List;

import io.privacyplatform.retention.RetentionPolicy;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

/** The retention policies (platform-wide). */
@ApplicationScoped
public class RetentionPolicyRepository implements PanacheRepositoryBase<RetentionPolicy, String> {

    /**
     * The policy with its row locked until the transaction ends: {@code exclusive} for a change or a decision,
     * shared for a run, so a run never sends under a decision that a concurrent change is voiding.
     */
    public RetentionPolicy lock(String id, boolean exclusive) {
        return findById(id, exclusive ? LockModeType.PESSIMISTIC_WRITE : LockModeType.PESSIMISTIC_READ);
    }

    public List<RetentionPolicy> all() {
        return list("order by id");
    }

    /**
     * Adds a policy with id = category unless one exists for the category (several instances may start at once:
     * the insert is conditional and keyed); returns whether it was added.
     */
    public boolean addIfCategoryUncovered(String category, String retain, String basis, String description,
            long scheduleSeconds, Instant now) {
        return getEntityManager().createNativeQuery("INSERT INTO retention_policy (id, category, retain, basis,"
                + " description, systems, schedule_seconds, created_at, updated_at, updated_by)"
                + " SELECT ?1, ?1, ?2, ?3, ?4, '{}', ?5, ?6, ?6, 'default'"
                + " WHERE NOT EXISTS (SELECT 1 FROM retention_policy WHERE category = ?1)"
                + " ON CONFLICT (id) DO NOTHING")
                .setParameter(1, category).setParameter(2, retain).setParameter(3, basis)
                .setParameter(4, description).setParameter(5, scheduleSeconds).setParameter(6, now)
                .executeUpdate() == 1;
    }
}
