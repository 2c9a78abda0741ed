package io.privacyplatform.events.payload;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonProperty;

import io.privacyplatform.events.Require;

/** One recorded consent decision, on {@code privacy.consent.changed.v1}. */
public record ConsentChanged(String eventId, String tenantId, String subjectId, String purpose, String category,
        String decision, String lawfulBasis, String policyVersion, String channel,
        // A missing flag must not read as "no GPC signal": primitives are required on the wire.
        @JsonProperty(required = true) boolean gpc, Instant occurredAt, String consentId) {

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
}
