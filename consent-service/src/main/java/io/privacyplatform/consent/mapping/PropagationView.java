package io.privacyplatform.consent.mapping;

import java.time.Instant;
import java.util.List;

/**
 * Where one consent decision stands with the consent subscribers: {@code state} over all of them, and per system
 * whether (and when) it applied the decision. {@code dueBy} is set for a withdrawal only: the time by which every
 * subscriber registered when it was recorded must have applied it.
 */
public record PropagationView(String consentId, String purpose, String decision, Instant recordedAt, Instant dueBy,
        String state, List<SystemState> systems) {

    /** One subscriber's part: {@code appliedAt} when it applied the decision, as it acknowledged. */
    public record SystemState(String system, String state, Instant appliedAt) {
    }
}
