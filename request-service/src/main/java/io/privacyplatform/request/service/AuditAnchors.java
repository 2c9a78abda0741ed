package io.privacyplatform.request.service;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.privacyplatform.events.payload.AuditAnchor;
import io.privacyplatform.events.payload.AuditAnchor.AnchoredEntry;
import io.privacyplatform.request.AuditAnchorRecord;
import io.privacyplatform.request.repository.AuditAnchorRepository;
import io.privacyplatform.support.auth.Caller;
import io.privacyplatform.support.outbox.Outbox;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;

/**
 * Anchors the audit chains outside the database: at every {@code requests.audit.anchor-every}, the hashes of the
 * audit entries appended since the last anchor are signed with the audit key and published on
 * {@code privacy.audit-anchor.v1} (through the outbox, in the transaction that records them as anchored). An entry
 * rewritten in PostgreSQL afterwards no longer hashes to what was published, whatever else the rewriter recomputes;
 * {@link AuditAnchorVerification} shows it. Entries not anchored yet (at most one interval's worth) are protected
 * only by the chain itself.
 */
@ApplicationScoped
public class AuditAnchors {

    private static final Logger LOG = Logger.getLogger(AuditAnchors.class);

    @Inject
    AuditAnchorRepository anchors;

    @Inject
    AuditSigningKeys keys;

    @Inject
    Outbox outbox;

    @Inject
    Clock clock;

    @Scheduled(identity = "audit-anchor", every = "${requests.audit.anchor-every}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        anchorPending();
    }

    /**
     * Takes anchors until every committed entry is anchored (one anchor per {@link AuditAnchor#MAX_ENTRIES}
     * entries); answers the anchors taken. Another instance anchoring at the same time makes this one skip.
     */
    public List<AuditAnchor> anchorPending() {
        List<AuditAnchor> taken = new java.util.ArrayList<>();
        while (true) {
            AuditAnchor anchor = QuarkusTransaction.requiringNew().call(this::anchorNext);
            if (anchor == null) {
                return taken;
            }
            taken.add(anchor);
            LOG.infof("audit anchor %d: %d entries, key %s", anchor.anchor(), anchor.entries().size(),
                    anchor.keyId());
            if (anchor.entries().size() < AuditAnchor.MAX_ENTRIES) {
                return taken;
            }
        }
    }

    private AuditAnchor anchorNext() {
        if (!anchors.tryLockAnchoring()) {
            return null;
        }
        List<AnchoredEntry> entries = anchors.unanchored(AuditAnchor.MAX_ENTRIES);
        if (entries.isEmpty()) {
            return null;
        }
        AuditAnchorRecord previous = anchors.latest().orElse(null);
        long number = previous == null ? 1 : previous.anchor + 1;
        AuditAnchor anchor = AuditAnchor.of(number, clock.instant(), keys.currentKeyId(),
                previous == null ? AuditAnchor.GENESIS : previous.digest, entries, keys::sign);
        AuditAnchorRecord record = new AuditAnchorRecord();
        record.anchor = anchor.anchor();
        record.issuedAt = anchor.issuedAt();
        record.keyId = anchor.keyId();
        record.previous = anchor.previous();
        record.entriesDigest = anchor.entriesDigest();
        record.entries = anchor.entries().size();
        record.signature = anchor.signature();
        record.digest = anchor.digest();
        anchors.persist(record);
        Map<String, Integer> lastSeq = new LinkedHashMap<>();
        entries.forEach(e -> lastSeq.merge(e.requestId(), e.seq(), Math::max));
        lastSeq.forEach((requestId, seq) -> anchors.markAnchored(UUID.fromString(requestId), seq));
        // Platform-wide, about no subject: keyed and owned by the platform tenant.
        outbox.publish(Caller.PLATFORM_TENANT, Caller.PLATFORM_TENANT, anchor);
        return anchor;
    }
}
