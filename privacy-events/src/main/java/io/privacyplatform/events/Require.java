package io.privacyplatform.events;

import java.util.Collection;

/** Invariant checks for event payloads; a violation surfaces as {@link InvalidEventException} when decoding. */
public final class Require {

    private Require() {
    }

    public static String text(String value, String field) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("missing required field '" + field + "'");
        }
        return value;
    }

    public static <T> T present(T value, String field) {
        if (value == null) {
            throw new IllegalArgumentException("missing required field '" + field + "'");
        }
        return value;
    }

    public static <C extends Collection<?>> C notEmpty(C value, String field) {
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException("field '" + field + "' must not be empty");
        }
        return value;
    }
}
