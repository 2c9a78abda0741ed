package io.privacyplatform.retention.service;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import io.privacyplatform.events.SubjectPseudonym;
import io.privacyplatform.retention.LegalHold;
import io.privacyplatform.retention.repository.LegalHoldRepository;
import io.privacyplatform.support.error.ApiException;
import io.privacyplatform.support.rest.PageCursor;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

/** Legal holds of one tenant: they defer the erasure of the held categories of one subject. */
@ApplicationScoped
public class LegalHolds {

    @Inject
    LegalHoldRepository holds;

    @Inject
    SubjectPseudonym pseudonym;

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

    @Transactional
    public void release(String tenantId, UUID id) {
        LegalHold hold = holds.findById(id);
        if (hold == null || !hold.tenantId.equals(tenantId)) {
            throw ApiException.notFound("hold");
        }
        holds.delete(hold);
    }
}
