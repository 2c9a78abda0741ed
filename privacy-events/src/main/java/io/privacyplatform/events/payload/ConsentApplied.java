package io.privacyplatform.events.payload;

import java.time.Instant;

import io.privacyplatform.events.Require;
import io.privacyplatform.events.TenantScoped;

/**
 * A consent subscriber's acknowledgement, on {@code privacy.consent.applied.v1}: system {@code system} applied the
 * consent decision that event {@code eventId} of {@code privacy.consent.changed.v1} carried, at {@code appliedAt}.
 * {@code consentId}, {@code purpose} and {@code decision} repeat the decision's, so a reader need not look it up to
 * know what was applied. No subject id: the Kafka key (the subject pseudonym) is the decision's.
 */
public record ConsentApplied(String eventId, String consentId, String system, String tenantId, String purpose,
        String decision, Instant appliedAt) implements TenantScoped {

    public ConsentApplied {
        Require.text(eventId, "eventId");
        Require.text(consentId, "consentId");
        Require.text(system, "system");
        Require.text(tenantId, "tenantId");
        Require.text(purpose, "purpose");
        Require.text(decision, "decision");
        Require.present(appliedAt, "appliedAt");
    }

    /** {@code system}'s acknowledgement of {@code consent}: event id, consent id, tenant, purpose, decision are its. */
    public static ConsentApplied of(ConsentChanged consent, String system, Instant appliedAt) {
        return new ConsentApplied(consent.eventId(), consent.consentId(), system, consent.tenantId(),
                consent.purpose(), consent.decision(), appliedAt);
    }
}
