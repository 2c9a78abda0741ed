package io.privacyplatform.retention.service;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import io.privacyplatform.events.SubjectPseudonym;
import io.privacyplatform.retention.LegalHold;
import io.privacyplatform.support.error.ApiException;
import io.privacyplatform.support.rest.PageCursor;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

/** Legal holds of one tenant: they defer the erasure of the held categories of one subject. */
@ApplicationScoped
public class LegalHolds {

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
        hold.persist();
        return hold;
    }

    /** Newest first, {@code limit + 1} rows so the caller knows whether there is a next page. */
    public List<LegalHold> page(String tenantId, PageCursor after, int limit) {
        if (after == null) {
            return LegalHold.find("tenantId = ?1 order by createdAt desc, id desc", tenantId).page(0, limit + 1)
                    .list();
        }
        UUID id;
        try {
            id = UUID.fromString(after.id());
        } catch (IllegalArgumentException e) {
            throw ApiException.validation("cursor", "is not a cursor returned by this API");
        }
        return LegalHold.find("tenantId = ?1 and (createdAt < ?2 or (createdAt = ?2 and id < ?3))"
                + " order by createdAt desc, id desc", tenantId, after.at(), id).page(0, limit + 1).list();
    }

    @Transactional
    public void release(String tenantId, UUID id) {
        LegalHold hold = LegalHold.findById(id);
        if (hold == null || !hold.tenantId.equals(tenantId)) {
            throw ApiException.notFound("hold");
        }
        hold.delete();
    }
}
