package io.privacyplatform.events.payload;

import java.time.Instant;
import java.util.Map;

import io.privacyplatform.events.Require;
import io.privacyplatform.events.TenantScoped;

/**
 * A rights request's lifecycle transition, on {@code privacy.rights-request.v1}. {@code contactEmail} travels only
 * on {@code verified} and {@code identifiers_added}, {@code rectification} only on {@code verified}: the
 * transitions on which stores must act.
 */
public record RightsRequestChanged(String requestId, String tenantId, String type, String status,
        String previousStatus, String subjectId, String contactEmail, String regulation, Instant receivedAt,
        Instant dueAt, Map<String, String> rectification, String controllerTenantId, String reason,
        Instant occurredAt) implements TenantScoped {

    /** Received; the person's identity is still to be verified (a code was sent). */
    public static final String IDENTITY_UNVERIFIED = "identity_unverified";
    /** Received by the platform on behalf of another tenant: the copy in the controller's queue. */
    public static final String RECEIVED_FROM_PROCESSOR = "received_from_processor";
    /** Identity verified: the stores must act. The only transition with the rectification pairs. */
    public static final String VERIFIED = "verified";
    public static final String IN_PROGRESS = "in_progress";
    /** Deadline extended (the request keeps its processing status; {@code dueAt} is the extended one). */
    public static final String EXTENDED = "extended";
    public static final String DENIED = "denied";
    public static final String CANCELLED = "cancelled";
    public static final String COMPLETED = "completed";
    public static final String FAILED = "failed";
    /** Routed to the controlling tenant; the platform's own request ends here. */
    public static final String REDIRECTED = "redirected";
    /** Nothing more happens without an operator (no system holds such data, an identifier is missing, a review). */
    public static final String ACTION_REQUIRED = "action_required";
    /** An operator added an identifier the stores need; carries {@code contactEmail} like {@link #VERIFIED}. */
    public static final String IDENTIFIERS_ADDED = "identifiers_added";
    /** An operator lifted the restriction this request put in place: stores that restricted the data lift it. */
    public static final String RESTRICTION_LIFTED = "restriction_lifted";
    /** @deprecated request-service never publishes it; a new request is {@link #IDENTITY_UNVERIFIED} or verified. */
    @Deprecated
    public static final String SUBMITTED = "submitted";

    public RightsRequestChanged {
        Require.text(requestId, "requestId");
        Require.text(tenantId, "tenantId");
        Require.text(type, "type");
        Require.text(status, "status");
        Require.text(subjectId, "subjectId");
        Require.present(occurredAt, "occurredAt");
        rectification = rectification == null ? Map.of() : Map.copyOf(rectification);
    }

    /**
     * A transition from {@code previousStatus} to {@code status}. The contact address and the rectification pairs
     * are given whatever the status and kept only where the stores act on them: the address on {@link #VERIFIED}
     * and {@link #IDENTIFIERS_ADDED}, the pairs on {@link #VERIFIED}.
     */
    public static RightsRequestChanged of(String requestId, String tenantId, String type, String status,
            String previousStatus, String subjectId, String contactEmail, String regulation, Instant receivedAt,
            Instant dueAt, Map<String, String> rectification, String controllerTenantId, String reason,
            Instant occurredAt) {
        boolean verified = VERIFIED.equals(status);
        boolean carriesAddress = verified || IDENTIFIERS_ADDED.equals(status);
        return new RightsRequestChanged(requestId, tenantId, type, status, previousStatus, subjectId,
                carriesAddress ? contactEmail : null, regulation, receivedAt, dueAt,
                verified ? rectification : Map.of(),
                controllerTenantId, reason, occurredAt);
    }
}
