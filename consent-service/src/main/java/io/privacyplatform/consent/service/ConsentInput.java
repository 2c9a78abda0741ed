package io.privacyplatform.consent.service;

import java.time.Instant;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** One decision to record, as apps send it. Enum fields are lower-case strings; the ledger validates them. */
public record ConsentInput(
        @Schema(required = true, maxLength = 200, examples = "subj-4711") String subjectId,
        @Schema(required = true, examples = "newsletter") String purpose,
        @Schema(required = true, enumeration = { "granted", "withdrawn", "denied" }) String decision,
        @Schema(description = "default: the purpose's defaultLawfulBasis",
                enumeration = { "consent", "contract", "legitimate_interest", "legal_obligation", "vital_interests",
                        "public_task" }) String lawfulBasis,
        @Schema(description = "a policy version of the tenant (PUT /v1/policy-versions)") String policyVersion,
        @Schema(description = "default: api",
                enumeration = { "web", "app", "email", "api", "import", "support", "rights_request" }) String channel,
        Evidence evidence,
        @Schema(description = "when the person decided; default now; not in the future") Instant occurredAt) {

    /** Proof of how the decision was collected: stored, never logged, dropped on erasure. */
    public record Evidence(
            @Schema(maxLength = 45) String ipAddress,
            @Schema(maxLength = 500) String userAgent,
            @Schema(maxLength = 2000, description = "the text the person saw") String text) {
    }
}
