package io.privacyplatform.events.payload;

import java.time.Instant;
import java.util.Map;

import io.privacyplatform.events.Require;

/**
 * A rights request's lifecycle transition, on {@code privacy.rights-request.v1}. {@code contactEmail} and
 * {@code rectification} travel only on {@code verified}, the one transition on which stores must act.
 */
public record RightsRequestChanged(String requestId, String tenantId, String type, String status,
        String previousStatus, String subjectId, String contactEmail, String regulation, Instant receivedAt,
        Instant dueAt, Map<String, String> rectification, String controllerTenantId, String reason,
        Instant occurredAt) {

    public static final String SUBMITTED = "submitted";
    public static final String VERIFIED = "verified";
    public static final String EXTENDED = "extended";
    public static final String DENIED = "denied";
    public static final String CANCELLED = "cancelled";
    public static final String COMPLETED = "completed";

    public RightsRequestChanged {
        Require.text(requestId, "requestId");
        Require.text(tenantId, "tenantId");
        Require.text(type, "type");
        Require.text(status, "status");
        Require.text(subjectId, "subjectId");
        Require.present(occurredAt, "occurredAt");
        rectification = rectification == null ? Map.of() : Map.copyOf(rectification);
    }
}
