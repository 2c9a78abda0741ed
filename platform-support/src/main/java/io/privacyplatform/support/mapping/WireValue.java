package io.privacyplatform.support.mapping;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * An enum that travels as its lower-case name ({@code legitimate_interest}, {@code in_progress}) on the API, on the
 * topics and in the database; {@link WireValueColumn} stores it so.
 */
public interface WireValue {

    String name();

    // Also how Jackson writes the enum: the export of a subject's records shows the same text as the API.
    @JsonValue
    default String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    static <E extends Enum<E> & WireValue> Optional<E> parse(Class<E> type, String value) {
        if (value == null) {
            return Optional.empty();
        }
        return Arrays.stream(type.getEnumConstants()).filter(e -> e.wire().equals(value)).findFirst();
    }

    static <E extends Enum<E> & WireValue> List<String> allowed(Class<E> type) {
        return Arrays.stream(type.getEnumConstants()).map(WireValue::wire).toList();
    }

    /** The problem text for a value outside the enum: names every allowed value. */
    static <E extends Enum<E> & WireValue> String mustBeOneOf(Class<E> type) {
        return "must be one of " + String.join(", ", allowed(type));
    }
}
