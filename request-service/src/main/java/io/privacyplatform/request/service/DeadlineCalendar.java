package io.privacyplatform.request.service;

import java.time.Instant;
import java.time.LocalDate;
import java.time.Period;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import jakarta.inject.Singleton;
import jakarta.inject.Inject;

import io.privacyplatform.request.config.RequestsConfig;

/**
 * Due dates of rights requests. For a regulation counting in calendar months (GDPR's "one month", counted as in
 * Reg. 1182/71: received 31 January, due 28/29 February) the due date is the earlier of that and the policy's
 * period ({@code P30D}): received 15 March, due 14 April (30 days); received 31 January, due 28 February. All
 * arithmetic is in UTC; {@code plusMonths} clamps to the last day of a shorter month.
 */
@Singleton
public class DeadlineCalendar {

    private final Map<String, Period> policy = new TreeMap<>();
    private final Map<String, Period> statutory = new TreeMap<>();
    private final String defaultRegulation;

    @Inject
    public DeadlineCalendar(RequestsConfig config) {
        this(config.regulations(), config.statutoryLimits(), config.defaultRegulation());
    }

    public DeadlineCalendar(Map<String, String> policy, Map<String, String> statutory, String defaultRegulation) {
        policy.forEach((k, v) -> this.policy.put(k.toLowerCase(Locale.ROOT), parse(k, v)));
        statutory.forEach((k, v) -> this.statutory.put(k.toLowerCase(Locale.ROOT), parse(k, v)));
        this.defaultRegulation = defaultRegulation.toLowerCase(Locale.ROOT);
        if (!this.policy.containsKey(this.defaultRegulation)) {
            throw new IllegalStateException("no period configured for the default regulation " + defaultRegulation);
        }
    }

    private static Period parse(String regulation, String value) {
        try {
            return Period.parse(value.trim());
        } catch (DateTimeParseException e) {
            throw new IllegalStateException("period of regulation " + regulation + " is not ISO-8601: " + value, e);
        }
    }

    /** The configured regulation of that name (any case), or the default for null. */
    public Optional<String> regulation(String name) {
        String key = name == null ? defaultRegulation : name.toLowerCase(Locale.ROOT);
        return policy.containsKey(key) ? Optional.of(key) : Optional.empty();
    }

    public java.util.Set<String> regulations() {
        return policy.keySet();
    }

    public Instant dueAt(String regulation, Instant receivedAt) {
        ZonedDateTime received = receivedAt.atZone(ZoneOffset.UTC);
        Period promise = policy.get(regulation);
        if (promise == null) {
            throw new IllegalArgumentException("unknown regulation " + regulation);
        }
        Instant due = received.plus(promise).toInstant();
        Period limit = statutory.get(regulation);
        if (limit != null) {
            Instant lawful = received.plus(limit).toInstant();
            if (lawful.isBefore(due)) {
                due = lawful;
            }
        }
        return due;
    }

    /** An extension by whole calendar months from the original due date. */
    public Instant extend(Instant dueAt, int months) {
        return dueAt.atZone(ZoneOffset.UTC).plusMonths(months).toInstant();
    }

    /**
     * Whole calendar days (UTC) from today to the due day: 0 on the due day, negative once it has passed. Calendar
     * days, so a request received a second ago shows the full 30.
     */
    public static long daysLeft(Instant now, Instant due) {
        LocalDate today = now.atZone(ZoneOffset.UTC).toLocalDate();
        return ChronoUnit.DAYS.between(today, due.atZone(ZoneOffset.UTC).toLocalDate());
    }

    public static boolean overdue(Instant now, Instant due) {
        return now.isAfter(due);
    }
}
