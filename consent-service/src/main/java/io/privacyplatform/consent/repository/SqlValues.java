package io.privacyplatform.consent.repository;

import java.time.Instant;
import java.time.OffsetDateTime;

/** Values of native query results, whichever Java type the driver and Hibernate hand a column over as. */
final class SqlValues {

    private SqlValues() {
    }

    /** A {@code TIMESTAMPTZ} column's value. */
    static Instant instant(Object value) {
        if (value instanceof Instant instant) {
            return instant;
        }
        if (value instanceof OffsetDateTime offset) {
            return offset.toInstant();
        }
        return ((java.sql.Timestamp) value).toInstant();
    }
}
