package io.privacyplatform.request.service;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.privacyplatform.events.SubjectPseudonym;
import io.privacyplatform.events.payload.Notification;
import io.privacyplatform.request.RequestStatus;
import io.privacyplatform.request.RequestType;
import io.privacyplatform.request.RightsRequest;
import io.privacyplatform.request.config.RequestsConfig;
import io.privacyplatform.request.repository.RightsRequestRepository;
import io.privacyplatform.support.outbox.Outbox;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;

/**
 * Watches deadlines: one {@code sla_alert} per request when it reaches {@code requests.sla.warn-days} days left
 * and one when it becomes overdue. The alert's flag is set in the transaction that writes it to the outbox, so an
 * alert is never sent twice (per deadline: an extension earns the new deadline its own warning). Stores that do
 * not answer do not stop the clock. Also keeps the SLA gauges on /q/metrics.
 */
@ApplicationScoped
public class SlaWatch {

    private static final Logger LOG = Logger.getLogger(SlaWatch.class);
    static final int BATCH = 200;

    /** How urgent an SLA alert is; the notification's {@code level} param is its lower-case name. */
    public enum AlertLevel {
        DUE_SOON, OVERDUE;

        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    @Inject
    Clock clock;

    @Inject
    RightsRequestRepository requests;

    @Inject
    Outbox outbox;

    @Inject
    SubjectPseudonym pseudonym;

    @Inject
    RequestsConfig config;

    @Inject
    AuditChain audit;

    @Inject
    MeterRegistry registry;

    private final Map<Tags, AtomicLong> open = new ConcurrentHashMap<>();
    private final AtomicLong overdue = new AtomicLong();
    private final AtomicLong dueSoon = new AtomicLong();
    private MultiGauge openGauge;

    void registerGauges(@Observes StartupEvent start) {
        openGauge = MultiGauge.builder("privacy.requests.open")
                .description("Open rights requests by type and status").register(registry);
        Gauge.builder("privacy.requests.overdue", overdue, AtomicLong::get)
                .description("Open rights requests past their due date").register(registry);
        Gauge.builder("privacy.requests.due.soon", dueSoon, AtomicLong::get)
                .description("Open rights requests due within the warning period (not yet overdue)")
                .register(registry);
        refreshMetrics();
    }

    @Scheduled(identity = "sla-check", every = "${requests.sla.check-every}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        check();
    }

    /** One pass: sends the alerts that are due and refreshes the gauges; answers how many alerts went out. */
    public int check() {
        int sent = inBatches(this::alertBatch);
        refreshMetrics();
        return sent;
    }

    /**
     * Runs {@code alertBatch} in a transaction of its own until it answers less than a full {@link #BATCH} (each
     * batch commits its alerts with their flags); answers the alerts sent. The breach deadline watch uses it too.
     */
    static int inBatches(Callable<Integer> alertBatch) {
        int sent = 0;
        int batch;
        do {
            batch = QuarkusTransaction.requiringNew().call(alertBatch);
            sent += batch;
        } while (batch == BATCH);
        return sent;
    }

    private int alertBatch() {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        List<RightsRequest> due = requests.needingAlert(dueSoonBefore(now), now, BATCH);
        int sent = 0;
        for (RightsRequest request : due) {
            Instant deadline = request.effectiveDueAt();
            if (DeadlineCalendar.overdue(now, deadline) && request.alertOverdueAt == null) {
                request.alertOverdueAt = now;
                if (request.alertDueSoonAt == null) {
                    request.alertDueSoonAt = now;
                }
                alert(request, AlertLevel.OVERDUE, now);
                sent++;
            } else if (request.alertDueSoonAt == null && deadline.isBefore(dueSoonBefore(now))) {
                request.alertDueSoonAt = now;
                alert(request, AlertLevel.DUE_SOON, now);
                sent++;
            }
        }
        // A request can match the query and need nothing (e.g. alerted overdue but due-soon flag reset): count
        // only a full batch as "maybe more".
        return due.size() == BATCH ? BATCH : sent;
    }

    /** Due before the start of the day after today + warn-days: i.e. at most warn-days calendar days left. */
    private Instant dueSoonBefore(Instant now) {
        return now.atZone(ZoneOffset.UTC).toLocalDate().plusDays(config.sla().warnDays() + 1L)
                .atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    private void alert(RightsRequest request, AlertLevel alertLevel, Instant now) {
        String level = alertLevel.wire();
        long daysLeft = DeadlineCalendar.daysLeft(now, request.effectiveDueAt());
        Notification notification = Notification.forOperators(Notification.SLA_ALERT, request.tenantId,
                request.id.toString(), Map.of("level", level, "requestId",
                        request.id.toString(), "type", request.type.wire(), "status", request.status.wire(), "dueAt",
                        request.effectiveDueAt().toString(), "daysLeft", String.valueOf(daysLeft)), now);
        outbox.publish(request.tenantId, pseudonym.of(request.tenantId, request.subjectId), notification);
        audit.append(request, now, "sla-watch", "sla_alert", "{\"level\":\"" + level + "\",\"daysLeft\":\"" + daysLeft
                + "\"}");
        LOG.infof("SLA alert %s for request %s (%d days left)", level, request.id, daysLeft);
    }

    public void refreshMetrics() {
        Instant now = clock.instant();
        Instant soon = dueSoonBefore(now);
        List<Object[]> rows = QuarkusTransaction.requiringNew().call(requests::openDeadlines);
        Map<Tags, Long> counts = new java.util.HashMap<>();
        for (RequestType type : RequestType.values()) {
            for (RequestStatus status : RequestStatus.OPEN) {
                counts.put(Tags.of("type", type.wire(), "status", status.wire()), 0L);
            }
        }
        long late = 0;
        long near = 0;
        for (Object[] row : rows) {
            counts.merge(Tags.of("type", ((RequestType) row[0]).wire(), "status", ((RequestStatus) row[1]).wire()),
                    1L, Long::sum);
            Instant due = (Instant) row[2];
            if (DeadlineCalendar.overdue(now, due)) {
                late++;
            } else if (due.isBefore(soon)) {
                near++;
            }
        }
        overdue.set(late);
        dueSoon.set(near);
        List<MultiGauge.Row<?>> gaugeRows = new ArrayList<>();
        counts.forEach((tags, count) -> {
            AtomicLong holder = open.computeIfAbsent(tags, t -> new AtomicLong());
            holder.set(count);
            gaugeRows.add(MultiGauge.Row.of(tags, holder, AtomicLong::get));
        });
        if (openGauge != null) {
            openGauge.register(gaugeRows, true);
        }
    }
}
