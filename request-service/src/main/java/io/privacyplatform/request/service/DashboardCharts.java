package io.privacyplatform.request.service;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import io.privacyplatform.request.Breach;
import io.privacyplatform.request.mapping.BarChart;
import io.privacyplatform.request.mapping.BarChart.Row;
import io.privacyplatform.request.mapping.BarChart.Series;
import io.privacyplatform.request.repository.BreachRepository;
import io.privacyplatform.request.repository.RequestStatisticsRepository;
import io.privacyplatform.request.repository.RequestStatisticsRepository.CompletionBucket;
import io.privacyplatform.request.repository.RequestStatisticsRepository.StoreAcks;
import io.privacyplatform.request.repository.RequestStatisticsRepository.WeekCounts;

/**
 * The operator dashboard's charts for one tenant, as of {@code now}: the figures come from SQL aggregates
 * ({@link RequestStatisticsRepository}) and the breach register, the layout from {@link BarChart}.
 */
@ApplicationScoped
public class DashboardCharts {

    /** The weeks the weekly, on-time, time-to-complete and store charts look back over (the current one included). */
    public static final int WEEKS = 8;
    /** Upper bounds (days) of the time-to-complete buckets; the last bucket takes longer ones. */
    static final int[] COMPLETION_DAYS = { 7, 14, 21, 30, 60 };
    static final List<String> COMPLETION_KEYS = List.of("0-7", "8-14", "15-21", "22-30", "31-60", "over-60");
    /** Upper bounds (days left) of the open-requests buckets after "overdue"; the last bucket has more days left. */
    static final int[] DAYS_LEFT = { 7, 14, 30 };
    private static final int STORES = 12;
    private static final int BREACHES = 12;
    private static final DateTimeFormatter WEEK = DateTimeFormatter.ofPattern("d MMM", Locale.ENGLISH);

    @Inject
    RequestStatisticsRepository statistics;

    @Inject
    BreachRepository breaches;

    @Transactional
    public List<BarChart> of(String tenantId, Instant now) {
        LocalDate thisWeek = now.atZone(ZoneOffset.UTC).toLocalDate()
                .with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
        LocalDate firstWeek = thisWeek.minusWeeks(WEEKS - 1L);
        Instant from = firstWeek.atStartOfDay(ZoneOffset.UTC).toInstant();
        Instant to = thisWeek.plusWeeks(1).atStartOfDay(ZoneOffset.UTC).toInstant();
        List<CompletionBucket> completions = statistics.completionTimes(tenantId, from, to, COMPLETION_DAYS);
        List<StoreAcks> stores = statistics.storeAcks(tenantId, from, STORES);
        return List.of(weekly(tenantId, firstWeek, from, to), onTime(completions), timeToComplete(completions),
                daysLeft(tenantId, now), storeLatency(stores), stuckCommands(stores), breaches(tenantId, now));
    }

    private BarChart weekly(String tenantId, LocalDate firstWeek, Instant from, Instant to) {
        Map<LocalDate, WeekCounts> byWeek = new HashMap<>();
        statistics.weekly(tenantId, from, to).forEach(w -> byWeek.put(w.week(), w));
        List<String> keys = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        List<Long> received = new ArrayList<>();
        List<Long> completed = new ArrayList<>();
        for (int i = 0; i < WEEKS; i++) {
            LocalDate week = firstWeek.plusWeeks(i);
            WeekCounts counts = byWeek.getOrDefault(week, new WeekCounts(week, 0, 0));
            keys.add(week.toString());
            labels.add(WEEK.format(week));
            received.add(counts.received());
            completed.add(counts.completed());
        }
        return BarChart.columns("chart-weekly", "Requests received and completed per week",
                "Weeks start on Monday (UTC); the last " + WEEKS + " including this one.", keys, labels,
                List.of(new Series("received", "received", received), new Series("completed", "completed", completed)),
                "No request received or completed in the last " + WEEKS + " weeks.");
    }

    private static BarChart onTime(List<CompletionBucket> completions) {
        long total = completions.stream().mapToLong(CompletionBucket::completed).sum();
        long onTime = completions.stream().mapToLong(CompletionBucket::onTime).sum();
        String title = total == 0 ? "Completed on time"
                : "Completed on time: " + percent(onTime, total) + "%";
        List<Row> rows = total == 0 ? List.of() : List.of(
                new Row("on-time", "on time", onTime, Long.toString(onTime),
                        onTime + " (" + percent(onTime, total) + "%)", "on-time"),
                new Row("late", "late", total - onTime, Long.toString(total - onTime),
                        (total - onTime) + " (" + percent(total - onTime, total) + "%)", "overdue"));
        return BarChart.rows("chart-on-time", title, "Requests completed in the last " + WEEKS + " weeks, by their "
                + "due date (the extended one where extended).", rows, total,
                "No request completed in the last " + WEEKS + " weeks.");
    }

    private static BarChart timeToComplete(List<CompletionBucket> completions) {
        long[] counts = new long[COMPLETION_KEYS.size()];
        completions.forEach(c -> counts[c.bucket()] = c.completed());
        List<String> labels = List.of("≤ 7 d", "8–14 d", "15–21 d", "22–30 d", "31–60 d", "> 60 d");
        return BarChart.columns("chart-time-to-complete", "Time to complete",
                "From receipt to completion, requests completed in the last " + WEEKS + " weeks.", COMPLETION_KEYS,
                labels, List.of(new Series("completed", "completed", Arrays.stream(counts).boxed().toList())),
                "No request completed in the last " + WEEKS + " weeks.");
    }

    private BarChart daysLeft(String tenantId, Instant now) {
        long[] counts = new long[DAYS_LEFT.length + 2];
        statistics.openByDaysLeft(tenantId, now, DAYS_LEFT).forEach(b -> counts[b.bucket()] = b.open());
        List<String> keys = List.of("overdue", "0-7", "8-14", "15-30", "over-30");
        List<String> labels = List.of("overdue", "0–7 days left", "8–14 days left", "15–30 days left",
                "over 30 days left");
        List<String> classes = List.of("overdue", "due-soon", "on-track", "on-track", "on-track");
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < keys.size(); i++) {
            rows.add(new Row(keys.get(i), labels.get(i), counts[i], Long.toString(counts[i]),
                    Long.toString(counts[i]), classes.get(i)));
        }
        long open = Arrays.stream(counts).sum();
        return BarChart.rows("chart-days-left", "Open requests by days left", "Calendar days (UTC) to the "
                + "effective due date, as in the queue; " + open + " open.", rows, 0,
                "No open request.");
    }

    private static BarChart storeLatency(List<StoreAcks> stores) {
        List<Row> rows = stores.stream().filter(s -> s.medianSeconds() != null).map(s -> {
            double median = hours(s.medianSeconds());
            return new Row(s.system(), s.system(), median, String.format(Locale.ROOT, "%.1f", median),
                    String.format(Locale.ROOT, "median %.1f h, max %.1f h (%d)", median, hours(s.maxSeconds()),
                            s.answered()), "received");
        }).toList();
        return BarChart.rows("chart-store-latency", "Stores by acknowledgement latency",
                "request-service sees retention-service's progress reports, not when each command was sent or "
                        + "acknowledged: this is the time from the request's verification (when its commands go "
                        + "out) to the report of the store's answer, for requests received in the last " + WEEKS
                        + " weeks; in brackets the answers counted.", rows, 0,
                "No store answer reported for requests of the last " + WEEKS + " weeks.");
    }

    private static BarChart stuckCommands(List<StoreAcks> stores) {
        List<Row> rows = stores.stream().filter(s -> s.stuck() > 0)
                .sorted((a, b) -> Long.compare(b.stuck(), a.stuck()))
                .map(s -> new Row(s.system(), s.system(), s.stuck(), Long.toString(s.stuck()),
                        s.stuck() + " stuck", "overdue")).toList();
        return BarChart.rows("chart-stuck", "Stuck commands by store", "Stores that retention-service's last "
                + "report on an open request calls stuck (no answer after its retries); its "
                + "/v1/requests/{id}/commands has the attempts.", rows, 0, "No stuck command in open requests.");
    }

    private BarChart breaches(String tenantId, Instant now) {
        List<Row> rows = new ArrayList<>();
        for (Breach breach : breaches.clockRunning(tenantId, BREACHES)) {
            long left = BreachDeadlineWatch.hoursLeft(now, breach.authorityDueAt);
            boolean overdue = now.isAfter(breach.authorityDueAt);
            String label = "detected " + breach.detectedAt.toString().substring(0, 16).replace('T', ' ');
            rows.add(new Row(breach.id.toString(), label, overdue ? Breach.NOTIFY_AUTHORITY_WITHIN.toHours() : left,
                    Long.toString(left), overdue ? "overdue, " + left + " h" : left + " h left",
                    overdue ? "overdue" : left <= 24 ? "due-soon" : "on-track"));
        }
        return BarChart.rows("chart-breaches", "Open breaches: hours left to notify the authority",
                "Breaches whose supervisory authority is not notified yet (detection + 72 h, Art. 33(1) GDPR), "
                        + "the nearest deadline first; an overdue one is drawn full length.", rows,
                Breach.NOTIFY_AUTHORITY_WITHIN.toHours(), "No breach waits for the authority's notification.");
    }

    private static long percent(long part, long total) {
        return Math.round(100.0 * part / total);
    }

    private static double hours(Double seconds) {
        return seconds == null ? 0 : Math.round(seconds / 360.0) / 10.0;
    }
}
