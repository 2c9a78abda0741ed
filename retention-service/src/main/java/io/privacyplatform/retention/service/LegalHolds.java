package io.privacyplatform.retention.service;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.jboss.logging.Logger;

import io.privacyplatform.events.SubjectPseudonym;
import io.privacyplatform.retention.LegalHold;
import io.privacyplatform.retention.repository.LegalHoldRepository;
import io.privacyplatform.support.error.ApiException;
import io.privacyplatform.support.rest.PageCursor;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;

/** Legal holds of one tenant: they defer the erasure of the held categories of one subject. */
@ApplicationScoped
public class LegalHolds {

    private static final Logger LOG = Logger.getLogger(LegalHolds.class);

    @Inject
    LegalHoldRepository holds;

    @Inject
    SubjectPseudonym pseudonym;

    @Inject
    DeferredErasures deferredErasures;

    @Inject
    Clock clock;

    @Transactional
    public LegalHold place(String tenantId, String subjectId, List<String> categories, String reason, Instant until,
            String actor) {
        LegalHold hold = new LegalHold();
        hold.id = UUID.randomUUID();
        hold.tenantId = tenantId;
        hold.subjectId = subjectId;
        hold.subjectPseudonym = pseudonym.of(tenantId, subjectId);
        hold.categories = categories.toArray(String[]::new);
        hold.reason = reason;
        hold.until = until;
        hold.createdAt = clock.instant();
        hold.createdBy = actor;
        holds.persist(hold);
        return hold;
    }

    /** Newest first, {@code limit + 1} rows so the caller knows whether there is a next page. */
    public List<LegalHold> page(String tenantId, PageCursor after, int limit) {
        if (after == null) {
            return holds.page(tenantId, null, null, limit);
        }
        UUID id;
        try {
            id = UUID.fromString(after.id());
        } catch (IllegalArgumentException e) {
            throw ApiException.validation("cursor", "is not a cursor returned by this API");
        }
        return holds.page(tenantId, after.at(), id, limit);
    }

    /**
     * Releases the hold: the row stays, with who released it, when and why (an audited release, not a delete), and
     * the erasures it deferred go out now as far as no other hold covers them. 409 when it was released before.
     */
    @Transactional
    public LegalHold release(String tenantId, UUID id, String reason, String actor) {
        LegalHold hold = holds.findById(id, LockModeType.PESSIMISTIC_WRITE);
        if (hold == null || !hold.tenantId.equals(tenantId)) {
            throw ApiException.notFound("hold");
        }
        if (hold.releasedAt != null) {
            throw ApiException.conflict("hold_already_released", "the hold was released at " + hold.releasedAt
                    + " by " + hold.releasedBy);
        }
        hold.releasedAt = clock.instant();
        hold.releasedBy = actor;
        hold.releaseReason = reason;
        LOG.infof("hold %s of tenant %s released by %s", hold.id, tenantId, actor);
        holds.flush();
        deferredErasures.onHoldReleased(hold);
        return hold;
    }
}
