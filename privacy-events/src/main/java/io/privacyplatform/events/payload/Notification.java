package io.privacyplatform.events.payload;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import io.privacyplatform.events.Require;
import io.privacyplatform.events.TenantScoped;

/**
 * Something for a mailer (or an operator's pager) to send, on {@code privacy.notification.v1}.
 * {@code recipient} is an address only where a person must be written to (a verification code, a policy notice);
 * alerts for operators carry none.
 */
public record Notification(String notificationId, String tenantId, String kind, String recipient,
        String subjectId, String requestId, Map<String, String> params, Instant occurredAt) implements TenantScoped {

    public static final String VERIFICATION_CODE = "verification_code";
    public static final String POLICY_CHANGE = "policy_change";
    public static final String REQUEST_OUTCOME = "request_outcome";
    public static final String SLA_ALERT = "sla_alert";
    public static final String STORE_STUCK = "store_stuck";
    public static final String CONSENT_NOT_APPLIED = "consent_not_applied";

    public Notification {
        Require.text(notificationId, "notificationId");
        Require.text(tenantId, "tenantId");
        Require.text(kind, "kind");
        Require.present(occurredAt, "occurredAt");
        params = params == null ? Map.of() : Map.copyOf(params);
    }

    /** A notification with a fresh id. */
    public static Notification of(String kind, String tenantId, String recipient, String subjectId, String requestId,
            Map<String, String> params, Instant occurredAt) {
        return new Notification(UUID.randomUUID().toString(), tenantId, kind, recipient, subjectId, requestId, params,
                occurredAt);
    }

    /** An alert for operators: it names no person, so it carries neither a recipient nor a subject id. */
    public static Notification forOperators(String kind, String tenantId, String requestId,
            Map<String, String> params, Instant occurredAt) {
        return of(kind, tenantId, null, null, requestId, params, occurredAt);
    }
}
