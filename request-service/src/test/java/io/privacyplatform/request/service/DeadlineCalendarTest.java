package io.privacyplatform.request.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class DeadlineCalendarTest {

    private final DeadlineCalendar calendar = new DeadlineCalendar(Map.of("gdpr", "P30D", "ccpa", "P45D"),
            Map.of("gdpr", "P1M"), "gdpr");

    @ParameterizedTest(name = "GDPR received {0} is due {1}")
    @CsvSource({
            // The calendar month is shorter than 30 days: the law's month wins (clamped to the month's last day).
            "2025-01-31T10:00:00Z, 2025-02-28T10:00:00Z",
            "2024-01-31T10:00:00Z, 2024-02-29T10:00:00Z",
            "2025-01-30T10:00:00Z, 2025-02-28T10:00:00Z",
            "2024-01-30T10:00:00Z, 2024-02-29T10:00:00Z",
            "2025-02-01T00:00:00Z, 2025-03-01T00:00:00Z",
            // A 31-day month: the policy's 30 days come first.
            "2025-03-15T09:30:00Z, 2025-04-14T09:30:00Z",
            "2025-01-15T12:00:00Z, 2025-02-14T12:00:00Z",
            // 30-day month: both rules agree.
            "2025-04-15T12:00:00Z, 2025-05-15T12:00:00Z",
            "2025-12-31T23:59:59Z, 2026-01-30T23:59:59Z" })
    void shouldBeDueAtTheEarlierOfThirtyDaysAndOneCalendarMonth(String received, String due) {
        assertThat(calendar.dueAt("gdpr", Instant.parse(received))).isEqualTo(Instant.parse(due));
    }

    @Test
    void shouldCountCcpaInDaysOnly() {
        assertThat(calendar.dueAt("ccpa", Instant.parse("2025-01-31T10:00:00Z")))
                .isEqualTo(Instant.parse("2025-03-17T10:00:00Z"));
    }

    @ParameterizedTest(name = "due {0} extended by {1} month(s) is {2}")
    @CsvSource({
            "2025-02-28T10:00:00Z, 1, 2025-03-28T10:00:00Z",
            "2025-02-28T10:00:00Z, 2, 2025-04-28T10:00:00Z",
            "2025-03-31T10:00:00Z, 1, 2025-04-30T10:00:00Z",
            "2025-12-31T10:00:00Z, 2, 2026-02-28T10:00:00Z" })
    void shouldExtendByCalendarMonths(String due, int months, String extended) {
        assertThat(calendar.extend(Instant.parse(due), months)).isEqualTo(Instant.parse(extended));
    }

    @Test
    void shouldCountDaysLeftByCalendarDayAndGoNegativeWhenOverdue() {
        Instant due = Instant.parse("2025-04-14T09:30:00Z");
        assertThat(DeadlineCalendar.daysLeft(Instant.parse("2025-03-15T09:30:01Z"), due)).isEqualTo(30);
        assertThat(DeadlineCalendar.daysLeft(Instant.parse("2025-04-13T23:00:00Z"), due)).isEqualTo(1);
        assertThat(DeadlineCalendar.daysLeft(Instant.parse("2025-04-14T09:00:00Z"), due)).isZero();
        assertThat(DeadlineCalendar.overdue(Instant.parse("2025-04-14T09:00:00Z"), due)).isFalse();
        assertThat(DeadlineCalendar.overdue(Instant.parse("2025-04-14T09:30:01Z"), due)).isTrue();
        assertThat(DeadlineCalendar.daysLeft(Instant.parse("2025-04-17T08:00:00Z"), due)).isEqualTo(-3);
    }

    @Test
    void shouldRefuseAConfigurationWithoutTheDefaultRegulation() {
        assertThatThrownBy(() -> new DeadlineCalendar(Map.of("ccpa", "P45D"), Map.of(), "gdpr"))
                .isInstanceOf(IllegalStateException.class);
    }
}
