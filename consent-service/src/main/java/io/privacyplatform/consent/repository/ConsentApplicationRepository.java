package io.privacyplatform.consent.repository;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.Query;

/**
 * Which consent subscribers applied which decision ({@code consent_application}), and the withdrawals that a
 * registered subscriber has not applied in time ({@code consent_propagation_alert} marks those alerted).
 */
@ApplicationScoped
public class ConsentApplicationRepository {

    // A subscriber is expected to apply the withdrawals recorded after it registered; a removed one no longer is.
    private static final String OVERDUE_FROM = """
            FROM consent_record r JOIN consent_subscriber s ON s.registered_at <= r.recorded_at
            WHERE r.decision = 'withdrawn' AND r.recorded_at < ?1
              AND NOT EXISTS (SELECT 1 FROM consent_application a
                              WHERE a.consent_id = r.consent_id AND a.subscriber_id = s.id)""";

    /** A registered subscriber's acknowledgement of one decision. */
    public record Application(String subscriberId, Instant appliedAt, Instant receivedAt) {
    }

    /** A withdrawal that a registered subscriber has not applied in time. */
    public record OverdueWithdrawal(UUID consentId, String tenantId, String purposeId, Instant recordedAt,
            String subscriberId) {
    }

    @Inject
    EntityManager entityManager;

    /**
     * Records that {@code subscriberId} applied the decision {@code consentId} of {@code tenantId} carried by event
     * {@code eventId}. Nothing is recorded for a decision this service does not hold under that tenant and event
     * (erased since, or an acknowledgement naming another tenant's decision), nor a second time.
     *
     * @return whether it was recorded now
     */
    public boolean record(UUID consentId, String tenantId, UUID eventId, String subscriberId, Instant appliedAt,
            Instant receivedAt) {
        return entityManager.createNativeQuery("""
                INSERT INTO consent_application (consent_id, subscriber_id, event_id, applied_at, received_at)
                SELECT r.consent_id, ?2, r.event_id, ?4, ?5 FROM consent_record r
                WHERE r.consent_id = CAST(?1 AS uuid) AND r.tenant_id = ?6 AND r.event_id = CAST(?3 AS uuid)
                ON CONFLICT (consent_id, subscriber_id) DO NOTHING""")
                .setParameter(1, consentId.toString()).setParameter(2, subscriberId)
                .setParameter(3, eventId.toString()).setParameter(4, Timestamp.from(appliedAt))
                .setParameter(5, Timestamp.from(receivedAt)).setParameter(6, tenantId).executeUpdate() == 1;
    }

    /** Who applied the decision, in the order they did. */
    public List<Application> ofConsent(UUID consentId) {
        List<?> rows = entityManager.createNativeQuery("""
                SELECT subscriber_id, applied_at, received_at FROM consent_application
                WHERE consent_id = CAST(?1 AS uuid) ORDER BY applied_at, subscriber_id""")
                .setParameter(1, consentId.toString()).getResultList();
        return rows.stream().map(Object[].class::cast)
                .map(row -> new Application((String) row[0], SqlValues.instant(row[1]),
                        SqlValues.instant(row[2]))).toList();
    }

    /**
     * The withdrawals recorded before {@code cutoff} that a subscriber registered by then has not applied, oldest
     * first; of one tenant, or of every tenant when {@code tenantId} is null.
     */
    public List<OverdueWithdrawal> overdue(String tenantId, Instant cutoff, int limit) {
        return overdue(tenantId, cutoff, limit, false);
    }

    /** {@link #overdue}, leaving out those alerted before. */
    public List<OverdueWithdrawal> overdueNotAlerted(Instant cutoff, int limit) {
        return overdue(null, cutoff, limit, true);
    }

    /** How many (withdrawal, subscriber) pairs are overdue now, over every tenant. */
    public long countOverdue(Instant cutoff) {
        return ((Number) entityManager.createNativeQuery("SELECT count(*) " + OVERDUE_FROM)
                .setParameter(1, Timestamp.from(cutoff)).getSingleResult()).longValue();
    }

    /** Marks the pair alerted; answers false when another instance alerted it first. */
    public boolean markAlerted(UUID consentId, String subscriberId, Instant at) {
        return entityManager.createNativeQuery("""
                INSERT INTO consent_propagation_alert (consent_id, subscriber_id, alerted_at)
                VALUES (CAST(?1 AS uuid), ?2, ?3)
                ON CONFLICT (consent_id, subscriber_id) DO NOTHING""")
                .setParameter(1, consentId.toString()).setParameter(2, subscriberId)
                .setParameter(3, Timestamp.from(at))
                .executeUpdate() == 1;
    }

    private List<OverdueWithdrawal> overdue(String tenantId, Instant cutoff, int limit, boolean notAlerted) {
        StringBuilder sql = new StringBuilder("SELECT CAST(r.consent_id AS text), r.tenant_id, r.purpose_id,"
                + " r.recorded_at, s.id ").append(OVERDUE_FROM);
        if (tenantId != null) {
            sql.append(" AND r.tenant_id = ?3");
        }
        if (notAlerted) {
            sql.append(" AND NOT EXISTS (SELECT 1 FROM consent_propagation_alert p"
                    + " WHERE p.consent_id = r.consent_id AND p.subscriber_id = s.id)");
        }
        sql.append(" ORDER BY r.recorded_at, r.consent_id, s.id LIMIT ?2");
        Query query = entityManager.createNativeQuery(sql.toString()).setParameter(1, Timestamp.from(cutoff))
                .setParameter(2, limit);
        if (tenantId != null) {
            query.setParameter(3, tenantId);
        }
        List<?> rows = query.getResultList();
        return rows.stream().map(Object[].class::cast).map(row -> new OverdueWithdrawal(
                UUID.fromString((String) row[0]), (String) row[1], (String) row[2], SqlValues.instant(row[3]),
                (String) row[4])).toList();
    }
}
