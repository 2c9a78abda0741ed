package io.privacyplatform.consent;

import io.privacyplatform.support.mapping.WireValue;

/** Where a consent decision stands with one consent subscriber, or with all of them. */
public enum PropagationState implements WireValue {
    /** Acknowledged as applied (by every expected subscriber, for a decision as a whole). */
    APPLIED,
    /** Not acknowledged yet, and not late: a grant has no deadline, a withdrawal not past it. */
    PENDING,
    /** A withdrawal not acknowledged within {@code consent.propagation.withdrawal-deadline}. */
    OVERDUE
}
