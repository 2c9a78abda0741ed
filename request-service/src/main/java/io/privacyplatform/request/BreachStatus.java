package io.privacyplatform.request;

import java.util.List;
import java.util.Optional;

import io.privacyplatform.support.mapping.WireValue;

/**
 * Where the handling of a personal-data breach stands. The 72-hour clock to notify the supervisory authority is not
 * a status: it runs from detection until the notification is recorded (or the breach is closed with the reason why
 * none was needed), whatever the status.
 */
public enum BreachStatus implements WireValue {
    /** Detected; being investigated. */
    OPEN,
    /** The breach is stopped; its consequences are being dealt with. */
    CONTAINED,
    /** Nothing more to do; the record stays in the register (Art. 33(5) GDPR). */
    CLOSED;

    /** Only forward: a closed breach accepts nothing more (409). */
    public boolean mayMoveTo(BreachStatus next) {
        return switch (this) {
            case OPEN -> next == CONTAINED || next == CLOSED;
            case CONTAINED -> next == CLOSED;
            case CLOSED -> false;
        };
    }

    public static Optional<BreachStatus> fromWire(String value) {
        return WireValue.parse(BreachStatus.class, value);
    }

    public static List<String> wireValues() {
        return WireValue.allowed(BreachStatus.class);
    }
}
