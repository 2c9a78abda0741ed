package io.privacyplatform.support.time;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;

import io.privacyplatform.support.error.ApiException;

/**
 * The instants every API accepts, in JSON bodies and in query parameters alike: ISO-8601 text (as
 * {@link Instant#parse} reads it, nothing trimmed) between 1970-01-01T00:00:00Z and 9999-12-31T23:59:59.999999Z.
 * Java reads years up to ±10⁹, PostgreSQL stores 4713 BC to 294276 AD; a date outside this range is never a
 * real decision, mail or deadline, so it is a 400 naming the field instead of a database error. A service narrows
 * a field further where its domain says so (not in the future, not before the policy version, ...).
 */
public final class AcceptedInstants {

    public static final Instant EARLIEST = Instant.parse("1970-01-01T00:00:00Z");
    /** PostgreSQL keeps microseconds: the last microsecond of year 9999. */
    public static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999999Z");
    public static final String PROBLEM = "must be an ISO-8601 instant between 1970-01-01T00:00:00Z and"
            + " 9999-12-31T23:59:59Z, such as 2026-01-31T12:00:00Z";

    private AcceptedInstants() {
    }

    /** The instant {@code text} names, or empty when it is not strictly ISO-8601 or outside the accepted range. */
    public static Optional<Instant> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        Instant instant;
        try {
            instant = Instant.parse(text);
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
        return isAccepted(instant) ? Optional.of(instant) : Optional.empty();
    }

    public static boolean isAccepted(Instant instant) {
        return !instant.isBefore(EARLIEST) && !instant.isAfter(LATEST);
    }

    /** A query parameter: null when absent or blank, else the instant, else a 400 naming {@code field}. */
    public static Instant query(String field, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        return parse(value).orElseThrow(() -> ApiException.validation(field, PROBLEM));
    }
}
