package io.privacyplatform.events.payload;

import java.time.Instant;
import java.util.List;

import io.privacyplatform.events.Require;

/**
 * Where a rights request's per-store commands stand, on {@code privacy.request.progress.v1}. {@code state} is
 * {@code in_progress}, {@code completed}, {@code failed} or {@code stuck}.
 */
public record RequestProgress(String requestId, String tenantId, String state, List<SystemProgress> systems,
        Instant occurredAt) {

    public static final String IN_PROGRESS = "in_progress";
    public static final String COMPLETED = "completed";
    public static final String FAILED = "failed";
    public static final String STUCK = "stuck";

    public RequestProgress {
        Require.text(requestId, "requestId");
        Require.text(tenantId, "tenantId");
        Require.text(state, "state");
        Require.present(occurredAt, "occurredAt");
        systems = systems == null ? List.of() : List.copyOf(systems);
    }

    public static RequestProgress of(String requestId, String tenantId, String state, List<SystemProgress> systems,
            Instant occurredAt) {
        return new RequestProgress(requestId, tenantId, state, systems, occurredAt);
    }

    /** One store's part: {@code state} is {@code pending}, {@code sent}, {@code done}, {@code held}, {@code stuck}. */
    public record SystemProgress(String system, String commandId, String kind, String state, AckOutcome outcome,
            long records, String digest, String detail, int attempts, Instant updatedAt) {

        public SystemProgress {
            Require.text(system, "systems[].system");
            Require.text(state, "systems[].state");
        }
    }
}
