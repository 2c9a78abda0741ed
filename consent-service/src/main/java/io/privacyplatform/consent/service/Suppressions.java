package io.privacyplatform.consent.service;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.util.HexFormat;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import io.privacyplatform.consent.repository.SuppressionRepository;
import io.privacyplatform.consent.repository.TenantKeyRepository;
import io.privacyplatform.events.payload.Retained;

/**
 * The do-not-e-mail list an erasure leaves behind: a subject that had withdrawn marketing e-mail must not be
 * e-mailed again once its records are gone (e.g. when its address comes back in an imported list). An entry is
 * HMAC-SHA256 of the subject id under the tenant's own random key ({@code tenant_key}): without that key an entry
 * cannot be linked to anyone, and it says nothing but "suppressed for this purpose". A new grant is the subject's
 * new decision and is recorded as any other; the ledger, not this list, says what a known subject wants.
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

    private String hash(String tenantId, String subjectId) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(keys.keyOf(tenantId, clock.instant()), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(subjectId.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }
}
