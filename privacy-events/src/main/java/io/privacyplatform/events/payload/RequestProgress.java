package io.privacyplatform.events.payload;

import java.time.Instant;
import java.util.List;

import io.privacyplatform.events.Require;
import io.privacyplatform.events.TenantScoped;

/**
 * Where a rights request's per-store commands stand, on {@code privacy.request.progress.v1}. {@code state} is
 * {@code in_progress}, {@code completed}, {@code failed}, {@code stuck} or {@code action_required} (nothing more
 * happens without an operator: no system holds data of this kind, or a system needs an identifier the request
 * lacks); {@code reason} says why for {@code action_required}.
 */
public record RequestProgress(String requestId, String tenantId, String state, List<SystemProgress> systems,
        Instant occurredAt, String reason) implements TenantScoped {

    public static final String IN_PROGRESS = "in_progress";
    public static final String COMPLETED = "completed";
    public static final String FAILED = "failed";
    public static final String STUCK = "stuck";
    public static final String ACTION_REQUIRED = "action_required";
    /** The {@code reason} of an {@code action_required} request that addressed no system. */
    public static final String NO_SYSTEM = "no system holds data of this kind";

    public RequestProgress {
        Require.text(requestId, "requestId");
        Require.text(tenantId, "tenantId");
        Require.text(state, "state");
        Require.present(occurredAt, "occurredAt");
        systems = systems == null ? List.of() : List.copyOf(systems);
        if (ACTION_REQUIRED.equals(state)) {
            Require.text(reason, "reason");
        }
    }

    /** Progress with no operator action pending. */
    public RequestProgress(String requestId, String tenantId, String state, List<SystemProgress> systems,
            Instant occurredAt) {
        this(requestId, tenantId, state, systems, occurredAt, null);
    }

    public static RequestProgress of(String requestId, String tenantId, String state, List<SystemProgress> systems,
            Instant occurredAt) {
        return new RequestProgress(requestId, tenantId, state, systems, occurredAt, null);
    }

    /** The request waits for an operator: {@code reason} says for what. */
    public static RequestProgress actionRequired(String requestId, String tenantId, List<SystemProgress> systems,
            Instant occurredAt, String reason) {
        return new RequestProgress(requestId, tenantId, ACTION_REQUIRED, systems, occurredAt, reason);
    }

    /**
     * One store's part: {@code state} is {@code pending}, {@code sent}, {@code done}, {@code held}, {@code stuck},
     * or {@code action_required} (not searched: the request lacks the {@code missingIdentifiers} the system needs).
     */
    public record SystemProgress(String system, String commandId, String kind, String state, AckOutcome outcome,
            long records, String digest, String detail, int attempts, Instant updatedAt,
            List<String> missingIdentifiers) {

        public static final String ACTION_REQUIRED = "action_required";

        public SystemProgress {
            Require.text(system, "systems[].system");
            Require.text(state, "systems[].state");
            missingIdentifiers = missingIdentifiers == null ? List.of() : List.copyOf(missingIdentifiers);
        }

        /** A system that was (or is being) searched. */
        public SystemProgress(String system, String commandId, String kind, String state, AckOutcome outcome,
                long records, String digest, String detail, int attempts, Instant updatedAt) {
            this(system, commandId, kind, state, outcome, records, digest, detail, attempts, updatedAt, List.of());
        }
    }
}
