package io.privacyplatform.request.repository;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import io.privacyplatform.request.RequestStatus;

/**
 * The figures of the dashboard's charts, each one SQL aggregate over a tenant's requests: PostgreSQL counts and
 * buckets, only the handful of resulting rows come back.
 */
@ApplicationScoped
public class RequestStatisticsRepository {

    private static final String COMPLETED = RequestStatus.COMPLETED.wire();

    @Inject
    EntityManager em;

    /** Requests received, and requests completed, in the UTC week (starting Monday) {@code week}. */
    public record WeekCounts(LocalDate week, long received, long completed) {
    }

    /** Completed requests whose time from receipt to completion fell in {@code bucket}; how many of them on time. */
    public record CompletionBucket(int bucket, long completed, long onTime) {
    }

    /** Open requests in {@code bucket} of days left (bucket 0: overdue). */
    public record DaysLeftBucket(int bucket, long open) {
    }

    /**
     * What retention-service's last progress reports say of one store: how many of its commands were answered
     * ({@code done}) for requests received since the window's start, the median and longest time from the
     * request's verification to the report of the answer, and how many of its commands are {@code stuck} in open
     * requests.
     */
    public record StoreAcks(String system, long answered, Double medianSeconds, Double maxSeconds, long stuck) {
    }

    /** Weeks with neither a receipt nor a completion are left out (the caller fills them in). */
    @SuppressWarnings("unchecked")
    public List<WeekCounts> weekly(String tenantId, Instant from, Instant to) {
        List<Object[]> rows = em.createNativeQuery("""
                SELECT to_char(week, 'YYYY-MM-DD'), sum(received), sum(completed) FROM (
                    SELECT date_trunc('week', received_at AT TIME ZONE 'UTC') AS week, 1 AS received, 0 AS completed
                      FROM rights_request
                     WHERE tenant_id = :tenant AND received_at >= :from AND received_at < :to
                    UNION ALL
                    SELECT date_trunc('week', closed_at AT TIME ZONE 'UTC'), 0, 1
                      FROM rights_request
                     WHERE tenant_id = :tenant AND status = :completed AND closed_at >= :from AND closed_at < :to
                ) weeks GROUP BY week ORDER BY week""")
                .setParameter("tenant", tenantId).setParameter("from", from).setParameter("to", to)
                .setParameter("completed", COMPLETED).getResultList();
        return rows.stream().map(r -> new WeekCounts(LocalDate.parse((String) r[0]), number(r[1]), number(r[2])))
                .toList();
    }

    /**
     * Requests completed in [from, to) by time to complete: bucket i holds those that took at most
     * {@code dayBounds[i]} days (and more than the bound before), the last bucket those that took longer. On time:
     * completed by the effective (possibly extended) due date.
     */
    @SuppressWarnings("unchecked")
    public List<CompletionBucket> completionTimes(String tenantId, Instant from, Instant to, int[] dayBounds) {
        List<Object[]> rows = em.createNativeQuery("SELECT " + bucket("days", dayBounds, 0)
                + " AS bucket, count(*), count(*) FILTER (WHERE on_time) FROM ("
                + " SELECT extract(epoch FROM closed_at - received_at) / 86400.0 AS days,"
                + " closed_at <= effective_due_at AS on_time FROM rights_request"
                + " WHERE tenant_id = :tenant AND status = :completed AND closed_at >= :from AND closed_at < :to"
                + ") completed GROUP BY 1 ORDER BY 1")
                .setParameter("tenant", tenantId).setParameter("from", from).setParameter("to", to)
                .setParameter("completed", COMPLETED).getResultList();
        return rows.stream().map(r -> new CompletionBucket((int) number(r[0]), number(r[1]), number(r[2]))).toList();
    }

    /**
     * Open requests by days left, counted as the API counts them (calendar days, UTC, from today to the due day):
     * bucket 0 the overdue ones (past the due instant), bucket i ≥ 1 those with at most {@code dayBounds[i-1]} days
     * left, the last bucket the rest.
     */
    @SuppressWarnings("unchecked")
    public List<DaysLeftBucket> openByDaysLeft(String tenantId, Instant now, int[] dayBounds) {
        LocalDate today = now.atZone(ZoneOffset.UTC).toLocalDate();
        List<Object[]> rows = em.createNativeQuery("SELECT CASE WHEN effective_due_at < :now THEN 0 ELSE "
                + bucket("(CAST(effective_due_at AT TIME ZONE 'UTC' AS date) - CAST(:today AS date))", dayBounds, 1)
                + " END AS bucket, count(*) FROM rights_request"
                + " WHERE tenant_id = :tenant AND status IN (:open) GROUP BY 1 ORDER BY 1")
                .setParameter("tenant", tenantId).setParameter("now", now).setParameter("today", today)
                .setParameter("open", RequestStatus.OPEN.stream().map(RequestStatus::wire).toList())
                .getResultList();
        return rows.stream().map(r -> new DaysLeftBucket((int) number(r[0]), number(r[1]))).toList();
    }

    /**
     * Per store, from the systems of each request's last progress report (request-service sees no more of the
     * stores' acks than these reports, and the EXPORT data): the slowest stores first, at most {@code limit}.
     */
    @SuppressWarnings("unchecked")
    public List<StoreAcks> storeAcks(String tenantId, Instant from, int limit) {
        List<Object[]> rows = em.createNativeQuery("""
                SELECT system,
                       count(*) FILTER (WHERE answered),
                       percentile_cont(0.5) WITHIN GROUP (ORDER BY seconds) FILTER (WHERE answered) AS median,
                       max(seconds) FILTER (WHERE answered),
                       count(*) FILTER (WHERE stuck)
                  FROM (SELECT e.element ->> 'system' AS system,
                               e.element ->> 'state' = 'done' AND r.received_at >= :from AS answered,
                               e.element ->> 'state' = 'stuck' AND r.status IN (:open) AS stuck,
                               extract(epoch FROM CAST(e.element ->> 'updatedAt' AS timestamptz) - r.verified_at)
                                   AS seconds
                          FROM rights_request r
                         CROSS JOIN LATERAL jsonb_array_elements(CAST(r.progress_systems AS jsonb)) AS e(element)
                         WHERE r.tenant_id = :tenant AND r.progress_systems IS NOT NULL
                           AND r.verified_at IS NOT NULL AND (r.received_at >= :from OR r.status IN (:open))
                       ) systems
                 GROUP BY system
                 ORDER BY median DESC NULLS LAST, system
                 LIMIT :limit""")
                .setParameter("tenant", tenantId).setParameter("from", from)
                .setParameter("open", RequestStatus.OPEN.stream().map(RequestStatus::wire).toList())
                .setParameter("limit", limit).getResultList();
        return rows.stream().map(r -> new StoreAcks((String) r[0], number(r[1]), decimal(r[2]), decimal(r[3]),
                number(r[4]))).toList();
    }

    /** {@code CASE WHEN expr <= b0 THEN first WHEN expr <= b1 THEN first+1 … ELSE first+n END}. */
    private static String bucket(String expression, int[] bounds, int first) {
        StringBuilder sql = new StringBuilder("CASE");
        for (int i = 0; i < bounds.length; i++) {
            sql.append(" WHEN ").append(expression).append(" <= ").append(bounds[i]).append(" THEN ")
                    .append(first + i);
        }
        return sql.append(" ELSE ").append(first + bounds.length).append(" END").toString();
    }

    private static long number(Object value) {
        return value == null ? 0 : ((Number) value).longValue();
    }

    private static Double decimal(Object value) {
        return value == null ? null : ((Number) value).doubleValue();
    }
}
