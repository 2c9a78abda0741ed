package io.privacyplatform.request;

import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import io.privacyplatform.support.mapping.WireValue;

/**
 * Where a rights request stands. An extension is not a status of its own: the request keeps its processing status
 * and gains an extended due date (the topic still announces it as an {@code extended} transition).
 */
public enum RequestStatus implements WireValue {
    IDENTITY_UNVERIFIED,
    /** A copy routed to us, the controller, by the platform acting as processor. */
    RECEIVED_FROM_PROCESSOR,
    VERIFIED,
    IN_PROGRESS,
    /**
     * Nothing more happens without an operator: no system holds data of this kind, a system needs an identifier
     * the request lacks, or the type needs a person's review. The deadline runs.
     */
    ACTION_REQUIRED,
    COMPLETED,
    FAILED,
    DENIED,
    CANCELLED,
    /** The platform is only the processor: the request went to the controller's queue. */
    REDIRECTED;

    /** Statuses on which the deadline still runs. */
    public static final Set<RequestStatus> OPEN = EnumSet.of(IDENTITY_UNVERIFIED, RECEIVED_FROM_PROCESSOR, VERIFIED,
            IN_PROGRESS, ACTION_REQUIRED);

    public boolean open() {
        return OPEN.contains(this);
    }

    /** The lifecycle: every change of status not listed here is refused with 409. */
    public boolean mayMoveTo(RequestStatus next) {
        return switch (this) {
            case IDENTITY_UNVERIFIED, RECEIVED_FROM_PROCESSOR -> EnumSet.of(VERIFIED, DENIED, CANCELLED).contains(next);
            case VERIFIED -> EnumSet.of(IN_PROGRESS, ACTION_REQUIRED, COMPLETED, FAILED, DENIED, CANCELLED)
                    .contains(next);
            case IN_PROGRESS -> EnumSet.of(ACTION_REQUIRED, COMPLETED, FAILED, DENIED, CANCELLED).contains(next);
            // Back to in_progress when retention-service's progress moves on (an identifier was added).
            case ACTION_REQUIRED -> EnumSet.of(IN_PROGRESS, COMPLETED, FAILED, DENIED, CANCELLED).contains(next);
            case COMPLETED, FAILED, DENIED, CANCELLED, REDIRECTED -> false;
        };
    }

    public static Optional<RequestStatus> fromWire(String value) {
        return WireValue.parse(RequestStatus.class, value);
    }

    public static List<String> wireValues() {
        return WireValue.allowed(RequestStatus.class);
    }
}
