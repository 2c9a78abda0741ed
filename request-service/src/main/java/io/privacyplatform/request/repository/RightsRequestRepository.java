package io.privacyplatform.request.repository;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

import io.privacyplatform.request.RequestStatus;
import io.privacyplatform.request.RequestType;
import io.privacyplatform.request.RightsRequest;
import io.privacyplatform.support.error.ApiException;
import io.privacyplatform.support.rest.PageCursor;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Parameters;

/** Every read is scoped to a tenant: another tenant's request does not exist for the caller. */
@ApplicationScoped
public class RightsRequestRepository implements PanacheRepositoryBase<RightsRequest, UUID> {

    /** What a listing may be narrowed to; null fields do not narrow. */
    public record Filter(RequestStatus status, RequestType type, Boolean overdue, Instant dueBefore, boolean openOnly) {
    }

    public Optional<RightsRequest> findForTenant(String tenantId, UUID id) {
        return find("id = ?1 and tenantId = ?2", id, tenantId).firstResultOptional();
    }

    public RightsRequest getForTenant(String tenantId, UUID id) {
        return findForTenant(tenantId, id).orElseThrow(() -> ApiException.notFound("request"));
    }

    /** The request, locked until the transaction ends: transitions and audit appends of one request queue up. */
    public Optional<RightsRequest> lockForTenant(String tenantId, UUID id) {
        return find("id = ?1 and tenantId = ?2", id, tenantId).withLock(LockModeType.PESSIMISTIC_WRITE)
                .firstResultOptional();
    }

    /** Newest first, keyset-paginated on (receivedAt, id); one more than {@code limit} tells there is a next page. */
    public List<RightsRequest> page(String tenantId, Filter filter, PageCursor cursor, int limit, Instant now) {
        StringBuilder query = new StringBuilder("tenantId = :tenant");
        Parameters params = Parameters.with("tenant", tenantId);
        narrow(query, params, filter, now);
        if (cursor != null) {
            query.append(" and (receivedAt < :at or (receivedAt = :at and cast(id as string) < :id))");
            params.and("at", cursor.at()).and("id", cursor.id());
        }
        query.append(" order by receivedAt desc, cast(id as string) desc");
        return find(query.toString(), params).page(0, limit + 1).list();
    }

    /** Open requests, the most urgent first (the dashboard): those waiting for an operator, then by due date. */
    public List<RightsRequest> byUrgency(String tenantId, Filter filter, int limit, Instant now) {
        StringBuilder query = new StringBuilder("tenantId = :tenant");
        Parameters params = Parameters.with("tenant", tenantId);
        narrow(query, params, filter, now);
        query.append(" order by case when status = :waiting then 0 else 1 end, effectiveDueAt asc, receivedAt asc");
        params.and("waiting", RequestStatus.ACTION_REQUIRED);
        return find(query.toString(), params).page(0, limit).list();
    }

    private static void narrow(StringBuilder query, Parameters params, Filter filter, Instant now) {
        if (filter.status() != null) {
            query.append(" and status = :status");
            params.and("status", filter.status());
        } else if (filter.openOnly()) {
            query.append(" and status in :open");
            params.and("open", new ArrayList<>(RequestStatus.OPEN));
        }
        if (filter.type() != null) {
            query.append(" and type = :type");
            params.and("type", filter.type());
        }
        if (filter.overdue() != null) {
            query.append(filter.overdue() ? " and status in :openStatuses and effectiveDueAt < :now"
                    : " and (status not in :openStatuses or effectiveDueAt >= :now)");
            params.and("openStatuses", new ArrayList<>(RequestStatus.OPEN)).and("now", now);
        }
        if (filter.dueBefore() != null) {
            query.append(" and effectiveDueAt < :dueBefore");
            params.and("dueBefore", filter.dueBefore());
        }
    }

    /** How many requests of the tenant are in each status (all statuses, zeros included). */
    public Map<RequestStatus, Long> countByStatus(String tenantId) {
        Map<RequestStatus, Long> counts = new LinkedHashMap<>();
        for (RequestStatus status : RequestStatus.values()) {
            counts.put(status, 0L);
        }
        getEntityManager().createQuery(
                "select r.status, count(r) from RightsRequest r where r.tenantId = :tenant group by r.status",
                Object[].class).setParameter("tenant", tenantId).getResultList()
                .forEach(row -> counts.put((RequestStatus) row[0], (Long) row[1]));
        return counts;
    }

    /** How many open requests of the tenant there are of each type. */
    public Map<RequestType, Long> countOpenByType(String tenantId) {
        Map<RequestType, Long> counts = new LinkedHashMap<>();
        for (RequestType type : RequestType.values()) {
            counts.put(type, 0L);
        }
        getEntityManager().createQuery("select r.type, count(r) from RightsRequest r where r.tenantId = :tenant"
                + " and r.status in :open group by r.type", Object[].class).setParameter("tenant", tenantId)
                .setParameter("open", new ArrayList<>(RequestStatus.OPEN)).getResultList()
                .forEach(row -> counts.put((RequestType) row[0], (Long) row[1]));
        return counts;
    }

    /** Open requests across tenants whose alert is due, locked and skipped by a concurrent instance's check. */
    public List<RightsRequest> needingAlert(Instant dueSoonBefore, Instant now, int limit) {
        return getEntityManager().createQuery("""
                select r from RightsRequest r where r.status in :open and (
                   (r.alertDueSoonAt is null and r.effectiveDueAt < :soon)
                or (r.alertOverdueAt is null and r.effectiveDueAt < :now))
                order by r.effectiveDueAt""", RightsRequest.class)
                .setParameter("open", new ArrayList<>(RequestStatus.OPEN))
                .setParameter("soon", dueSoonBefore).setParameter("now", now)
                .setLockMode(LockModeType.PESSIMISTIC_WRITE)
                .setHint("jakarta.persistence.lock.timeout", -2)
                .setMaxResults(limit).getResultList();
    }

    /** Open requests across tenants, for the SLA gauges: (type, status, effective due). */
    public List<Object[]> openDeadlines() {
        return getEntityManager().createQuery(
                "select r.type, r.status, r.effectiveDueAt from RightsRequest r where r.status in :open",
                Object[].class).setParameter("open", new ArrayList<>(RequestStatus.OPEN)).getResultList();
    }

    /** The subject's requests in the tenant, oldest first, locked: the store's erasure queues up with transitions. */
    public List<RightsRequest> lockOfSubject(String tenantId, String subjectId) {
        return find("tenantId = ?1 and subjectId = ?2 order by receivedAt, cast(id as string)", tenantId, subjectId)
                .withLock(LockModeType.PESSIMISTIC_WRITE).list();
    }

    /** The subject's requests in the tenant, oldest first (the store's export). */
    public List<RightsRequest> ofSubject(String tenantId, String subjectId) {
        return list("tenantId = ?1 and subjectId = ?2 order by receivedAt, cast(id as string)", tenantId, subjectId);
    }

    /** Requests across tenants whose export was first delivered before {@code cutoff} and is still held, locked. */
    public List<RightsRequest> exportDeliveredBefore(Instant cutoff, int limit) {
        return getEntityManager().createQuery("""
                select r from RightsRequest r where r.exportDeliveredAt < :cutoff and r.exportDeletedAt is null
                order by r.exportDeliveredAt""", RightsRequest.class)
                .setParameter("cutoff", cutoff)
                .setLockMode(LockModeType.PESSIMISTIC_WRITE)
                .setHint("jakarta.persistence.lock.timeout", -2)
                .setMaxResults(limit).getResultList();
    }

    /** Requests across tenants closed before {@code cutoff} that still hold the subject's identifiers, locked. */
    public List<RightsRequest> closedWithIdentifiersBefore(Instant cutoff, int limit) {
        return getEntityManager().createQuery("""
                select r from RightsRequest r where r.closedAt < :cutoff and r.identifiersRemovedAt is null
                and r.status not in :open order by r.closedAt""", RightsRequest.class)
                .setParameter("cutoff", cutoff)
                .setParameter("open", new ArrayList<>(RequestStatus.OPEN))
                .setLockMode(LockModeType.PESSIMISTIC_WRITE)
                .setHint("jakarta.persistence.lock.timeout", -2)
                .setMaxResults(limit).getResultList();
    }
}
