package io.privacyplatform.consent.repository;

import java.time.Instant;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;

import org.hibernate.query.NativeQuery;

import io.privacyplatform.consent.ConsentRecord;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;

/**
 * The ledger and its current-state table. The order of a subject's decisions is (occurred_at, id): when the person
 * decided, and for equal instants the order in which they were recorded.
 */
@ApplicationScoped
public class ConsentRecordRepository implements PanacheRepositoryBase<ConsentRecord, Long> {

    /** First half of the advisory-lock key of a subject's writes (the outbox relay uses another namespace). */
    static final int SUBJECT_LOCK_NAMESPACE = 0x636f6e73;

    /**
     * How many advisory locks serialise subjects' writes: a subject's lock is stripe {@code hash mod} this. A
     * transaction holds at most this many, whatever its batch size (a 1,000-item batch once took 1,000, each a slot
     * in PostgreSQL's shared lock table, sized by default for 64 per connection). 32 keeps a batch well inside that
     * while unrelated subjects rarely share a stripe; sharing only serialises more than needed.
     */
    public static final int SUBJECT_LOCK_STRIPES = 32;

    /**
     * Serialises the writes of these subjects until the transaction ends, so that each subject's events get outbox
     * ids in the order of their records. Advisory locks also cover a subject's first write, where there is no
     * current-state row to lock yet. The subjects' stripes are taken once each, in ascending order, so two
     * transactions never wait for each other crosswise (no deadlock) and at most {@link #SUBJECT_LOCK_STRIPES}
     * locks are held. A transaction takes its subjects' stripes in one call.
     */
    public void lockSubjects(String tenantId, Collection<String> subjectIds) {
        lockStripes(subjectIds.stream().mapToInt(subject -> stripeOf(tenantId, subject)).toArray());
    }

    /**
     * Takes these subject-lock stripes until the transaction ends, in ascending order and in one round trip: the
     * stripes are sorted here and {@code unnest} returns them in array order, one lock after the other. Once per
     * transaction, like {@link #lockSubjects}.
     */
    public void lockStripes(int[] stripes) {
        int[] ascending = Arrays.stream(stripes).distinct().sorted().toArray();
        if (ascending.length == 0) {
            return;
        }
        getEntityManager().createNativeQuery(
                "SELECT count(pg_advisory_xact_lock(?1, s)) FROM unnest(CAST(?2 AS int[])) AS s")
                .setParameter(1, SUBJECT_LOCK_NAMESPACE)
                .setParameter(2, Arrays.stream(ascending).mapToObj(Integer::toString)
                        .collect(Collectors.joining(",", "{", "}")))
                .getSingleResult();
    }

    /** The lock stripe of a subject: the same for the same tenant and subject in every instance. */
    public static int stripeOf(String tenantId, String subjectId) {
        return Math.floorMod((tenantId.length() + ":" + tenantId + ":" + subjectId).hashCode(),
                SUBJECT_LOCK_STRIPES);
    }

    /** The subject-lock advisory locks this transaction's connection holds (tests: the bound holds). */
    public long subjectLocksHeld() {
        return ((Number) getEntityManager().createNativeQuery("SELECT count(*) FROM pg_locks"
                + " WHERE locktype = 'advisory' AND pid = pg_backend_pid() AND classid = ?1 AND objsubid = 2")
                .setParameter(1, SUBJECT_LOCK_NAMESPACE)
                .getSingleResult()).longValue();
    }

    /** Points the current state of the record's purpose at it, unless a later decision (by occurred_at) is there. */
    public void advanceCurrent(ConsentRecord record) {
        getEntityManager().createNativeQuery("""
                INSERT INTO consent_current (tenant_id, subject_id, purpose_id, record_id, occurred_at)
                VALUES (?1, ?2, ?3, ?4, ?5)
                ON CONFLICT (tenant_id, subject_id, purpose_id) DO UPDATE
                   SET record_id = EXCLUDED.record_id, occurred_at = EXCLUDED.occurred_at
                 WHERE (consent_current.occurred_at, consent_current.record_id)
                     < (EXCLUDED.occurred_at, EXCLUDED.record_id)""")
                .setParameter(1, record.tenantId)
                .setParameter(2, record.subjectId)
                .setParameter(3, record.purposeId)
                .setParameter(4, record.id)
                .setParameter(5, record.occurredAt)
                .executeUpdate();
    }

    public Optional<ConsentRecord> findByConsentId(String tenantId, UUID consentId) {
        return find("tenantId = ?1 and consentId = ?2", tenantId, consentId).firstResultOptional();
    }

    public boolean subjectKnown(String tenantId, String subjectId) {
        return count("tenantId = ?1 and subjectId = ?2", tenantId, subjectId) > 0;
    }

    /** The current decision per purpose, by purpose id. */
    @SuppressWarnings("unchecked")
    public List<ConsentRecord> current(String tenantId, String subjectId) {
        return getEntityManager().createNativeQuery("""
                SELECT r.* FROM consent_current c JOIN consent_record r ON r.id = c.record_id
                 WHERE c.tenant_id = ?1 AND c.subject_id = ?2 ORDER BY r.purpose_id""", ConsentRecord.class)
                .setParameter(1, tenantId)
                .setParameter(2, subjectId)
                .getResultList();
    }

    /** The latest decision per purpose among those that occurred at or before {@code asOf}. */
    @SuppressWarnings("unchecked")
    public List<ConsentRecord> asOf(String tenantId, String subjectId, Instant asOf) {
        return getEntityManager().createNativeQuery("""
                SELECT DISTINCT ON (purpose_id) * FROM consent_record
                 WHERE tenant_id = ?1 AND subject_id = ?2 AND occurred_at <= ?3
                 ORDER BY purpose_id, occurred_at DESC, id DESC""", ConsentRecord.class)
                .setParameter(1, tenantId)
                .setParameter(2, subjectId)
                .setParameter(3, asOf)
                .getResultList();
    }

    /**
     * One row of a subject's state read: the record, the effective time of the policy version it was recorded under
     * (null: none, or unknown), and, the same on every row, since when the subject is restricted (null: not) and the
     * effective time of the tenant's latest material policy version in effect at the instant read (null: none).
     */
    public record StateRow(ConsentRecord record, Instant versionEffectiveAt, Instant restrictedAt,
            Instant latestMaterialAt) {
    }

    /**
     * The subject's decision per purpose with everything its state needs, in ONE statement (it was five: the
     * subject's existence, the records, the latest material version, the tenant's versions, the restriction — the
     * round trips were most of a read's cost). {@code asOf} null: the current state (consent_current); otherwise the
     * latest decision per purpose that occurred at or before it. {@code at} is the instant the policy versions are
     * judged at. Empty when the subject has no such decision (whether it is known at all is then for the caller).
     */
    @SuppressWarnings("unchecked")
    public List<StateRow> stateRows(String tenantId, String subjectId, Instant asOf, Instant at) {
        String latest = asOf == null
                ? """
                  SELECT r.* FROM consent_current c JOIN consent_record r ON r.id = c.record_id
                   WHERE c.tenant_id = ?1 AND c.subject_id = ?2"""
                : """
                  SELECT DISTINCT ON (purpose_id) * FROM consent_record
                   WHERE tenant_id = ?1 AND subject_id = ?2 AND occurred_at <= ?4
                   ORDER BY purpose_id, occurred_at DESC, id DESC""";
        var query = getEntityManager().createNativeQuery("SELECT {r.*}, pv.effective_at AS version_effective_at,"
                + " (SELECT restricted_at FROM restricted_subject WHERE tenant_id = ?1 AND subject_id = ?2)"
                + " AS restricted_at,"
                + " (SELECT max(effective_at) FROM policy_version WHERE tenant_id = ?1 AND material"
                + " AND effective_at <= ?3) AS latest_material_at"
                + " FROM (" + latest + ") r"
                + " LEFT JOIN policy_version pv ON pv.tenant_id = r.tenant_id AND pv.version = r.policy_version"
                + " ORDER BY r.purpose_id")
                .unwrap(NativeQuery.class)
                .addEntity("r", ConsentRecord.class)
                .addScalar("version_effective_at", Instant.class)
                .addScalar("restricted_at", Instant.class)
                .addScalar("latest_material_at", Instant.class)
                .setParameter(1, tenantId)
                .setParameter(2, subjectId)
                .setParameter(3, at);
        if (asOf != null) {
            query.setParameter(4, asOf);
        }
        List<Object[]> rows = query.getResultList();
        return rows.stream().map(row -> new StateRow((ConsentRecord) row[0], (Instant) row[1], (Instant) row[2],
                (Instant) row[3])).toList();
    }

    /** Newest first by (occurred_at, id), after the cursor position if given; {@code limit + 1} rows at most. */
    public List<ConsentRecord> history(String tenantId, String subjectId, String purposeId, Instant beforeAt,
            Long beforeId, int limit) {
        StringBuilder query = new StringBuilder("tenantId = :tenant and subjectId = :subject");
        io.quarkus.panache.common.Parameters params = io.quarkus.panache.common.Parameters
                .with("tenant", tenantId).and("subject", subjectId);
        if (purposeId != null) {
            query.append(" and purposeId = :purpose");
            params.and("purpose", purposeId);
        }
        if (beforeAt != null) {
            query.append(" and (occurredAt < :at or (occurredAt = :at and id < :id))");
            params.and("at", beforeAt).and("id", beforeId);
        }
        query.append(" order by occurredAt desc, id desc");
        return find(query.toString(), params).page(0, limit + 1).list();
    }

    /**
     * Up to {@code limit} subjects of the tenant after {@code after} (null: from the first), in id order: everyone
     * with a ledger record or a TCF string. Each side stops after {@code limit} distinct ids, so a batch costs the
     * same at the millionth subject as at the first.
     */
    @SuppressWarnings("unchecked")
    public List<String> subjectsAfter(String tenantId, String after, int limit) {
        return getEntityManager().createNativeQuery("""
                SELECT subject_id FROM (
                    (SELECT DISTINCT subject_id FROM consent_record WHERE tenant_id = ?1 AND subject_id > ?2
                      ORDER BY subject_id LIMIT ?3)
                    UNION
                    (SELECT DISTINCT subject_id FROM tcf_consent WHERE tenant_id = ?1 AND subject_id > ?2
                      ORDER BY subject_id LIMIT ?3)) s
                 ORDER BY subject_id LIMIT ?3""")
                .setParameter(1, tenantId)
                .setParameter(2, after == null ? "" : after)
                .setParameter(3, limit)
                .getResultList();
    }

    /** Deletes every record of the subject and its current state. @return the records deleted */
    public long deleteSubject(String tenantId, String subjectId) {
        getEntityManager().createNativeQuery("DELETE FROM consent_current WHERE tenant_id = ?1 AND subject_id = ?2")
                .setParameter(1, tenantId).setParameter(2, subjectId).executeUpdate();
        return delete("tenantId = ?1 and subjectId = ?2", tenantId, subjectId);
    }

    /** Every record of the subject, oldest first. */
    public List<ConsentRecord> allOf(String tenantId, String subjectId) {
        return list("tenantId = ?1 and subjectId = ?2 order by occurredAt, id", tenantId, subjectId);
    }
}
