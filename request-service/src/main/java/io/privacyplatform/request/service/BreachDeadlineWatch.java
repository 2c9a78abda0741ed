package io.privacyplatform.request.service;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.privacyplatform.events.payload.Notification;
import io.privacyplatform.request.Breach;
import io.privacyplatform.request.config.RequestsConfig;
import io.privacyplatform.request.repository.BreachRepository;
import io.privacyplatform.request.repository.BreachRepository.RunningClocks;
import io.privacyplatform.request.service.SlaWatch.AlertLevel;
import io.privacyplatform.support.outbox.Outbox;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;

/**
 * The 72-hour clock of the breach register, watched like requests' deadlines ({@link SlaWatch}): one
 * {@code breach_alert} for operators when the authority's notification is due within
 * {@code requests.breaches.warn-before}, one when the 72 hours have passed, while the clock runs (no notification
 * recorded, not closed). The alert's flag is set in the transaction that writes it to the outbox, so it is never
 * sent twice. Runs on the SLA check's schedule and keeps two gauges on /q/metrics.
 */
@ApplicationScoped
public class BreachDeadlineWatch {

    private static final Logger LOG = Logger.getLogger(BreachDeadlineWatch.class);
    private static final String ACTOR = "breach-deadline-watch";

    @Inject
    Clock clock;

    @Inject
    BreachRepository breaches;

    @Inject
    Outbox outbox;

    @Inject
    AuditChain audit;

    @Inject
    RequestsConfig config;

    @Inject
    MeterRegistry registry;

    private final AtomicLong running = new AtomicLong();
    private final AtomicLong overdue = new AtomicLong();

    void registerGauges(@Observes StartupEvent start) {
        Gauge.builder("privacy.breaches.authority.unnotified", running, AtomicLong::get)
                .description("Breaches whose supervisory authority is not notified yet (the 72-hour clock runs)")
                .register(registry);
        Gauge.builder("privacy.breaches.authority.overdue", overdue, AtomicLong::get)
                .description("Breaches past the 72 hours without a recorded authority notification")
                .register(registry);
        refreshMetrics();
    }

    @Scheduled(identity = "breach-deadline-check", every = "${requests.sla.check-every}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        check();
    }

    /** One pass: sends the alerts that are due and refreshes the gauges; answers how many alerts went out. */
    public int check() {
        int sent = SlaWatch.inBatches(this::alertBatch);
        refreshMetrics();
        return sent;
    }

    private int alertBatch() {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        Instant soon = now.plus(config.breaches().warnBefore());
        List<Breach> due = breaches.needingAlert(soon, now, SlaWatch.BATCH);
        int sent = 0;
        for (Breach breach : due) {
            if (now.isAfter(breach.authorityDueAt) && breach.alertOverdueAt == null) {
                breach.alertOverdueAt = now;
                if (breach.alertDueSoonAt == null) {
                    breach.alertDueSoonAt = now;
                }
                alert(breach, AlertLevel.OVERDUE, now);
                sent++;
            } else if (breach.alertDueSoonAt == null && breach.authorityDueAt.isBefore(soon)) {
                breach.alertDueSoonAt = now;
                alert(breach, AlertLevel.DUE_SOON, now);
                sent++;
            }
        }
        return due.size() == SlaWatch.BATCH ? SlaWatch.BATCH : sent;
    }

    private void alert(Breach breach, AlertLevel level, Instant now) {
        long hoursLeft = hoursLeft(now, breach.authorityDueAt);
        Notification notification = Notification.forOperators(BreachRegister.BREACH_ALERT, breach.tenantId, null,
                Map.of("level", level.wire(), "breachId", breach.id.toString(), "status", breach.status.wire(),
                        "detectedAt", breach.detectedAt.toString(), "authorityDueAt",
                        breach.authorityDueAt.toString(), "hoursLeft", String.valueOf(hoursLeft)), now);
        // About no single subject: keyed by the tenant, as the topic's other tenant-wide notices.
        outbox.publish(breach.tenantId, breach.tenantId, notification);
        audit.append(breach, now, ACTOR, "deadline_alert",
                audit.detail("level", level.wire(), "hoursLeft", hoursLeft));
        LOG.infof("breach alert %s for breach %s (%d hours left)", level.wire(), breach.id, hoursLeft);
    }

    /** Whole hours from now to the deadline, rounded down: 71 for 71.5 hours, -1 half an hour after it. */
    public static long hoursLeft(Instant now, Instant due) {
        return Math.floorDiv(Duration.between(now, due).getSeconds(), 3600);
    }

    public void refreshMetrics() {
        Instant now = clock.instant();
        RunningClocks clocks = QuarkusTransaction.requiringNew().call(() -> breaches.runningClocks(now));
        running.set(clocks.running());
        overdue.set(clocks.overdue());
    }
}
