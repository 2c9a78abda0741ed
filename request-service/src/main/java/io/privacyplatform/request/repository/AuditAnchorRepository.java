package io.privacyplatform.request.repository;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.privacyplatform.events.payload.AuditAnchor.AnchoredEntry;
import io.privacyplatform.request.AuditAnchorRecord;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;

/** Audit anchors taken so far, and the audit entries not anchored yet. */
@ApplicationScoped
public class AuditAnchorRepository implements PanacheRepositoryBase<AuditAnchorRecord, Long> {

    /** Advisory-lock key of the anchoring (first half: namespace, as the outbox's shard locks use their own). */
    private static final int LOCK_NAMESPACE = 0x61756400;

    /** Whether this transaction may take the next anchor: one instance at a time, the others skip the round. */
    public boolean tryLockAnchoring() {
        return (Boolean) getEntityManager().createNativeQuery("SELECT pg_try_advisory_xact_lock(?1, 1)")
                .setParameter(1, LOCK_NAMESPACE).getSingleResult();
    }

    public Optional<AuditAnchorRecord> latest() {
        return find("order by anchor desc").firstResultOptional();
    }

    /** The newest anchors first; {@code before} (an anchor number) pages on. */
    public List<AuditAnchorRecord> page(Long before, int limit) {
        return before == null ? find("order by anchor desc").page(0, limit).list()
                : find("anchor < ?1 order by anchor desc", before).page(0, limit).list();
    }

    /**
     * Audit entries appended after their chain's last anchored seq, by chain id (a request's or a breach's) and seq,
     * at most {@code limit}. Only committed entries are seen, and a chain's entries commit in seq order (under its
     * record's row lock).
     */
    @SuppressWarnings("unchecked")
    public List<AnchoredEntry> unanchored(int limit) {
        List<Object[]> rows = getEntityManager().createNativeQuery("""
                SELECT a.request_id, a.seq, a.hash
                  FROM (SELECT id, audit_seq FROM rights_request UNION ALL SELECT id, audit_seq FROM breach) r
                  LEFT JOIN audit_anchored_seq s ON s.request_id = r.id
                  JOIN request_audit a ON a.request_id = r.id AND a.seq > COALESCE(s.seq, 0)
                 WHERE r.audit_seq > COALESCE(s.seq, 0)
                 ORDER BY a.request_id, a.seq
                 LIMIT ?1""").setParameter(1, limit).getResultList();
        return rows.stream().map(row -> new AnchoredEntry(row[0].toString(), ((Number) row[1]).intValue(),
                (String) row[2])).toList();
    }

    /** Records that the request's (or breach's) chain is anchored up to {@code seq}. */
    public void markAnchored(UUID requestId, int seq) {
        getEntityManager().createNativeQuery("""
                INSERT INTO audit_anchored_seq (request_id, seq) VALUES (?1, ?2)
                ON CONFLICT (request_id) DO UPDATE SET seq = GREATEST(audit_anchored_seq.seq, EXCLUDED.seq)""")
                .setParameter(1, requestId).setParameter(2, seq).executeUpdate();
    }
}
