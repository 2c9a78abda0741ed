package io.privacyplatform.retention.rest;

import java.time.Duration;
import java.time.Instant;
import java.time.Period;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

import io.privacyplatform.events.Ed25519Keys;
import io.privacyplatform.events.payload.Identifiers;
import io.privacyplatform.retention.RetentionPolicy;
import io.privacyplatform.support.auth.Caller;
import io.privacyplatform.support.auth.Roles;
import io.privacyplatform.support.error.ApiException;

/** Checks shared by the resources; each failure is a 400 naming the field. */
final class Inputs {

    /** The same names the subscriber kit accepts for a system. */
    static final Pattern SYSTEM_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");
    static final Pattern CATEGORY = Pattern.compile("[a-z0-9][a-z0-9_.-]{0,99}");
    static final Pattern REGION = Pattern.compile("[A-Za-z][A-Za-z0-9-]{1,31}");
    static final Set<String> CAPABILITIES = Set.of("erase", "purge", "export", "restrict", "rectify");
    static final int MAX_CATEGORIES = 50;
    static final Duration MIN_ACK_TIMEOUT = Duration.ofSeconds(1);
    static final Duration MAX_ACK_TIMEOUT = Duration.ofDays(30);
    static final Duration MIN_SCHEDULE = Duration.ofMinutes(1);
    static final Duration MAX_SCHEDULE = Duration.ofDays(366);

    private Inputs() {
    }

    /** Systems and policies are platform configuration: only admins of the {@code platform} tenant change them. */
    static void requirePlatformAdmin(Caller caller) {
        if (!caller.isPlatform() || !caller.hasRole(Roles.ADMIN)) {
            throw ApiException.forbidden("platform_admin_only",
                    "only an admin of the platform tenant may change platform configuration");
        }
    }

    /**
     * A store may put only its own system: a {@code platform} token of role {@code store} whose name is the system
     * id. Returns that name, the system's principal.
     */
    static String requireOwnSystem(Caller caller, String systemId) {
        if (!caller.isPlatform() || !caller.hasRole(Roles.STORE) || !caller.actor().equals(systemId)) {
            throw ApiException.forbidden("store_not_this_system",
                    "a store may register and change only its own system, the one its token is named after");
        }
        return caller.actor();
    }

    /** A base64 X.509 Ed25519 public key, or null when not given. */
    static String ackPublicKey(String value, boolean required) {
        if (value == null || value.isBlank()) {
            if (required) {
                throw ApiException.validation("ackPublicKey", "is required");
            }
            return null;
        }
        if (value.length() > 200) {
            throw ApiException.validation("ackPublicKey", "must be at most 200 characters");
        }
        try {
            return Ed25519Keys.publicKeyBase64(Ed25519Keys.publicKeyFromBase64(value.strip()));
        } catch (IllegalArgumentException e) {
            throw ApiException.validation("ackPublicKey", "must be a base64 X.509 Ed25519 public key");
        }
    }

    static String id(String field, String value, Pattern pattern) {
        if (value == null || !pattern.matcher(value).matches()) {
            throw ApiException.validation(field, "must match " + pattern.pattern());
        }
        return value;
    }

    static List<String> categories(String field, List<String> values, boolean required) {
        if (values == null) {
            if (required) {
                throw ApiException.validation(field, "is required");
            }
            return List.of();
        }
        if (values.size() > MAX_CATEGORIES) {
            throw ApiException.validation(field, "must have at most " + MAX_CATEGORIES + " entries");
        }
        Set<String> distinct = new LinkedHashSet<>();
        for (int i = 0; i < values.size(); i++) {
            String value = values.get(i);
            if (value == null || !CATEGORY.matcher(value).matches()) {
                throw ApiException.validation(List.of(new io.privacyplatform.support.error.ErrorResponse.FieldProblem(
                        field, "must match " + CATEGORY.pattern(), i)));
            }
            distinct.add(value);
        }
        return new ArrayList<>(distinct);
    }

    static List<String> capabilities(List<String> values) {
        if (values == null) {
            throw ApiException.validation("capabilities", "is required");
        }
        return subset("capabilities", values, CAPABILITIES, "erase, purge, export, restrict, rectify");
    }

    /**
     * The identifiers a system finds a subject by: a non-empty subset of {@code subjectId}, {@code email}; absent
     * means {@code ["subjectId"]}, which every request has.
     */
    static List<String> identifiers(List<String> values) {
        if (values == null) {
            return List.of(Identifiers.SUBJECT_ID);
        }
        if (values.isEmpty()) {
            throw ApiException.validation("identifiers", "must name at least one of " + Identifiers.ALL);
        }
        return subset("identifiers", values, Set.copyOf(Identifiers.ALL), String.join(", ", Identifiers.ALL));
    }

    /** The distinct values, in the given order; a 400 naming the index of the first one not {@code allowed}. */
    private static List<String> subset(String field, List<String> values, Set<String> allowed, String names) {
        Set<String> distinct = new LinkedHashSet<>();
        for (int i = 0; i < values.size(); i++) {
            String value = values.get(i);
            if (value == null || !allowed.contains(value)) {
                throw ApiException.validation(List.of(new io.privacyplatform.support.error.ErrorResponse.FieldProblem(
                        field, "must be one of " + names, i)));
            }
            distinct.add(value);
        }
        return new ArrayList<>(distinct);
    }

    /** Region codes are upper-cased; {@code EEA} is the one the residency rule recognises as inside. */
    static String region(String value) {
        if (value == null || !REGION.matcher(value).matches()) {
            throw ApiException.validation("region", "must be a region code such as EEA, US or UK");
        }
        return value.toUpperCase(Locale.ROOT);
    }

    /** A strict ISO-8601 duration (PT30S, PT5M) within bounds. */
    static Duration duration(String field, String value, Duration min, Duration max) {
        if (value == null || value.isBlank()) {
            throw ApiException.validation(field, "is required (an ISO-8601 duration such as PT30S)");
        }
        Duration parsed;
        try {
            parsed = Duration.parse(value);
        } catch (DateTimeParseException e) {
            throw ApiException.validation(field, "must be an ISO-8601 duration such as PT30S");
        }
        if (parsed.compareTo(min) < 0 || parsed.compareTo(max) > 0) {
            throw ApiException.validation(field, "must be between " + min + " and " + max);
        }
        return parsed;
    }

    /** {@code per_record} or a positive ISO-8601 period without time part (P35D, P6M, P10Y). */
    static String retain(String value) {
        if (RetentionPolicy.PER_RECORD.equals(value)) {
            return value;
        }
        if (value == null || value.isBlank()) {
            throw ApiException.validation("retain", "is required (an ISO-8601 period such as P35D, or per_record)");
        }
        Period parsed;
        try {
            parsed = Period.parse(value);
        } catch (DateTimeParseException e) {
            throw ApiException.validation("retain", "must be an ISO-8601 period such as P35D, or per_record");
        }
        if (parsed.isNegative() || parsed.isZero() || parsed.toTotalMonths() > 1200) {
            throw ApiException.validation("retain", "must be a positive period of at most 100 years");
        }
        return parsed.toString();
    }

    static String text(String field, String value, int max, boolean required) {
        if (value == null || value.isBlank()) {
            if (required) {
                throw ApiException.validation(field, "is required");
            }
            return null;
        }
        if (value.length() > max) {
            throw ApiException.validation(field, "must be at most " + max + " characters");
        }
        return value.strip();
    }

    /**
     * The longest a dated legal hold may run: beyond any limitation period a hold is made for. A hold without an end
     * is given without {@code until} (until released), not with a date centuries ahead.
     */
    static final java.time.Period LONGEST_HOLD = java.time.Period.ofYears(100);

    static Instant futureOrNull(String field, Instant value, Instant now) {
        if (value != null && !value.isAfter(now)) {
            throw ApiException.validation(field, "must be in the future");
        }
        if (value != null && value.isAfter(now.atZone(java.time.ZoneOffset.UTC).plus(LONGEST_HOLD).toInstant())) {
            throw ApiException.validation(field, "must be at most 100 years ahead; leave it out for a hold until"
                    + " released");
        }
        return value;
    }
}
