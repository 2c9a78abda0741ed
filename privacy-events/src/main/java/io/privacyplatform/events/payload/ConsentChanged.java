package io.privacyplatform.events.payload;

import java.time.Instant;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonProperty;

import io.privacyplatform.events.Require;
import io.privacyplatform.events.TenantScoped;

/** One recorded consent decision, on {@code privacy.consent.changed.v1}. */
public record ConsentChanged(String eventId, String tenantId, String subjectId, String purpose, String category,
        String decision, String lawfulBasis, String policyVersion, String channel,
        // A missing flag must not read as "no GPC signal": primitives are required on the wire.
        @JsonProperty(required = true) boolean gpc, Instant occurredAt, String consentId) implements TenantScoped {

    public ConsentChanged {
        Require.text(eventId, "eventId");
        Require.text(tenantId, "tenantId");
        Require.text(subjectId, "subjectId");
        Require.text(purpose, "purpose");
        Require.text(decision, "decision");
        Require.text(lawfulBasis, "lawfulBasis");
        Require.present(occurredAt, "occurredAt");
        Require.text(consentId, "consentId");
    }

    /** The event of one ledger record: {@code eventId} and {@code consentId} are the record's. */
    public static ConsentChanged of(UUID eventId, String tenantId, String subjectId, String purpose, String category,
            String decision, String lawfulBasis, String policyVersion, String channel, boolean gpc,
            Instant occurredAt, UUID consentId) {
        return new ConsentChanged(eventId.toString(), tenantId, subjectId, purpose, category, decision, lawfulBasis,
                policyVersion, channel, gpc, occurredAt, consentId.toString());
    }
}
