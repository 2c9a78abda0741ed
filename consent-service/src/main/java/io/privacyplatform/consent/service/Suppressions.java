package io.privacyplatform.consent.service;

import java.time.Clock;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import io.privacyplatform.consent.repository.SuppressionRepository;
import io.privacyplatform.consent.repository.TenantKeyRepository;
import io.privacyplatform.events.SubjectPseudonym;
import io.privacyplatform.events.payload.Retained;

/**
 * The do-not-e-mail list an erasure leaves behind: a subject that had withdrawn marketing e-mail must not be
 * e-mailed again once its records are gone (e.g. when its address comes back in an imported list). An entry is
 * HMAC-SHA256 of tenant and subject id under the tenant's own random key ({@code tenant_key}): without that key an
 * entry cannot be linked to anyone, and it says nothing but "suppressed for this purpose". A new grant is the
 * subject's new decision and is recorded as any other; the ledger, not this list, says what a known subject wants.
 */
@ApplicationScoped
public class Suppressions {

    public static final Retained RETAINED = Retained.of("marketing_suppression",
            "do-not-contact list: the subject had withdrawn marketing e-mail and must not be e-mailed again"
                    + " (Art. 17(3)(b), Art. 21(3) GDPR)",
            "keyed hash (HMAC-SHA256, tenant key)");

    @Inject
    SuppressionRepository suppressions;

    @Inject
    TenantKeyRepository keys;

    @Inject
    Clock clock;

    @Transactional(Transactional.TxType.MANDATORY)
    public void suppress(String tenantId, String purposeId, String subjectId) {
        suppressions.add(tenantId, purposeId, hash(tenantId, subjectId));
    }

    /** Whether {@code subjectId} is on the tenant's do-not-e-mail list for the purpose. */
    @Transactional
    public boolean isSuppressed(String tenantId, String purposeId, String subjectId) {
        return suppressions.contains(tenantId, purposeId, hash(tenantId, subjectId));
    }

    /** The platform's one keyed hash of a subject, here under the tenant's key instead of the platform secret. */
    private String hash(String tenantId, String subjectId) {
        return new SubjectPseudonym(keys.keyOf(tenantId, clock.instant())).of(tenantId, subjectId);
    }
}
