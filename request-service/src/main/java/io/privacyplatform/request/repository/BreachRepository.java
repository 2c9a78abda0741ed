package io.privacyplatform.request.repository;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

import io.privacyplatform.request.Breach;
import io.privacyplatform.request.BreachStatus;
import io.privacyplatform.support.error.ApiException;
import io.privacyplatform.support.rest.PageCursor;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Parameters;

/** The breach registers; every read for a caller is scoped to its tenant. */
@ApplicationScoped
public class BreachRepository implements PanacheRepositoryBase<Breach, UUID> {

    /** What a listing may be narrowed to; null fields do not narrow. */
    public record Filter(BreachStatus status, Boolean authorityNotified) {
    }

    public Breach getForTenant(String tenantId, UUID id) {
        return find("id = ?1 and tenantId = ?2", id, tenantId).firstResultOptional()
                .orElseThrow(() -> ApiException.notFound("breach"));
    }

    /** The breach, locked until the transaction ends: its changes and audit appends queue up. */
    public Optional<Breach> lockForTenant(String tenantId, UUID id) {
        return find("id = ?1 and tenantId = ?2", id, tenantId).withLock(LockModeType.PESSIMISTIC_WRITE)
                .firstResultOptional();
    }

    /** Latest detected first, keyset-paginated on (detectedAt, id); one row over {@code limit}: a next page. */
    public List<Breach> page(String tenantId, Filter filter, PageCursor cursor, int limit) {
        StringBuilder query = new StringBuilder("tenantId = :tenant");
        Parameters params = Parameters.with("tenant", tenantId);
        if (filter.status() != null) {
            query.append(" and status = :status");
            params.and("status", filter.status());
        }
        if (filter.authorityNotified() != null) {
            query.append(filter.authorityNotified() ? " and notifiedAuthorityAt is not null"
                    : " and notifiedAuthorityAt is null");
        }
        if (cursor != null) {
            query.append(" and (detectedAt < :at or (detectedAt = :at and cast(id as string) < :id))");
            params.and("at", cursor.at()).and("id", cursor.id());
        }
        query.append(" order by detectedAt desc, cast(id as string) desc");
        return find(query.toString(), params).page(0, limit + 1).list();
    }

    /** The whole register of a tenant, in order of detection (the export: a register holds dozens, not millions). */
    public List<Breach> register(String tenantId) {
        return list("tenantId = ?1 order by detectedAt, cast(id as string)", tenantId);
    }

    /** The tenant's breaches whose clock runs, the nearest deadline first (the dashboard). */
    public List<Breach> clockRunning(String tenantId, int limit) {
        return find("tenantId = ?1 and notifiedAuthorityAt is null and status <> ?2 order by authorityDueAt",
                tenantId, BreachStatus.CLOSED).page(0, limit).list();
    }

    /**
     * Breaches across tenants whose clock runs and whose alert is due, locked and skipped by a concurrent instance's
     * check.
     */
    public List<Breach> needingAlert(Instant dueSoonBefore, Instant now, int limit) {
        return getEntityManager().createQuery("""
                select b from Breach b where b.notifiedAuthorityAt is null and b.status <> :closed and (
                   (b.alertDueSoonAt is null and b.authorityDueAt < :soon)
                or (b.alertOverdueAt is null and b.authorityDueAt < :now))
                order by b.authorityDueAt""", Breach.class)
                .setParameter("closed", BreachStatus.CLOSED)
                .setParameter("soon", dueSoonBefore).setParameter("now", now)
                .setLockMode(LockModeType.PESSIMISTIC_WRITE)
                .setHint("jakarta.persistence.lock.timeout", -2)
                .setMaxResults(limit).getResultList();
    }

    /** How many breaches' clocks run, and how many of those are past their deadline. */
    public record RunningClocks(long running, long overdue) {
    }

    /** Across tenants, for the gauges. */
    public RunningClocks runningClocks(Instant now) {
        Object[] row = getEntityManager().createQuery("""
                select count(b), coalesce(sum(case when b.authorityDueAt < :now then 1 else 0 end), 0) from Breach b
                where b.notifiedAuthorityAt is null and b.status <> :closed""", Object[].class)
                .setParameter("now", now).setParameter("closed", BreachStatus.CLOSED).getSingleResult();
        return new RunningClocks(((Number) row[0]).longValue(), ((Number) row[1]).longValue());
    }
}
