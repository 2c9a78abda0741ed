package io.privacyplatform.consent.service;

import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

import io.privacyplatform.consent.repository.RestrictedSubjectRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

/**
 * Subjects under a restriction of processing (Art. 18 GDPR), set by a verified {@code restriction} request or a
 * {@code RESTRICT} command: their existing decisions stay readable but no grant is effective (state reads answer
 * {@code restricted: true} and every grant as {@code withheld}), new grants for non-essential purposes are refused.
 * A {@code LIFT_RESTRICTION} command or a {@code restriction_lifted} request lifts it.
 */
@ApplicationScoped
public class SubjectRestrictions {

    @Inject
    RestrictedSubjectRepository restricted;

    @Inject
    Clock clock;

    @Transactional(Transactional.TxType.MANDATORY)
    public boolean isRestricted(String tenantId, String subjectId) {
        return restricted.isRestricted(tenantId, subjectId);
    }

    /** Since when the subject is restricted; empty when it is not. */
    @Transactional(Transactional.TxType.MANDATORY)
    public Optional<Instant> restrictedSince(String tenantId, String subjectId) {
        return restricted.restrictedSince(tenantId, subjectId);
    }

    /** @return whether the subject was not restricted before */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean restrict(String tenantId, String subjectId, String requestId) {
        return restricted.add(tenantId, subjectId, requestId, clock.instant());
    }

    /** @return whether the subject was restricted */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean lift(String tenantId, String subjectId) {
        return restricted.remove(tenantId, subjectId);
    }
}
