package io.privacyplatform.consent.service;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import org.jboss.logging.Logger;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.privacyplatform.consent.ConsentRecord;
import io.privacyplatform.consent.ConsentSubscriber;
import io.privacyplatform.consent.Decision;
import io.privacyplatform.consent.PropagationState;
import io.privacyplatform.consent.config.ConsentConfig;
import io.privacyplatform.consent.mapping.OverdueWithdrawalView;
import io.privacyplatform.consent.mapping.PropagationView;
import io.privacyplatform.consent.mapping.PropagationView.SystemState;
import io.privacyplatform.consent.repository.ConsentApplicationRepository;
import io.privacyplatform.consent.repository.ConsentApplicationRepository.Application;
import io.privacyplatform.consent.repository.ConsentApplicationRepository.OverdueWithdrawal;
import io.privacyplatform.consent.repository.ConsentRecordRepository;
import io.privacyplatform.consent.repository.ConsentSubscriberRepository;
import io.privacyplatform.events.payload.ConsentApplied;
import io.privacyplatform.events.payload.Notification;
import io.privacyplatform.support.error.ApiException;
import io.privacyplatform.support.outbox.Outbox;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;

/**
 * Whether the consent subscribers applied each decision. Their acknowledgements are recorded per decision; a
 * withdrawal that a subscriber registered when it was recorded has not applied within
 * {@code consent.propagation.withdrawal-deadline} is overdue: listed, counted in the gauge
 * {@code consent.propagation.overdue} and alerted once per subscriber (a {@code consent_not_applied} notification for
 * operators, counted in {@code consent.propagation.alerts}). A grant has no deadline: a system that has not yet
 * started doing something the subject allowed harms nobody; one that goes on doing what the subject withdrew does.
 */
@ApplicationScoped
public class ConsentPropagation {

    static final String OVERDUE_GAUGE = "consent.propagation.overdue";
    static final String ALERTS_METER = "consent.propagation.alerts";

    private static final Logger LOG = Logger.getLogger(ConsentPropagation.class);

    @Inject
    ConsentApplicationRepository applications;

    @Inject
    ConsentSubscriberRepository subscribers;

    @Inject
    ConsentRecordRepository records;

    @Inject
    Outbox outbox;

    @Inject
    ConsentConfig config;

    @Inject
    MeterRegistry meters;

    @Inject
    Clock clock;

    /** Overdue (withdrawal, subscriber) pairs at the last check. */
    private final AtomicLong overdue = new AtomicLong();

    void registerGauge(@Observes StartupEvent event) {
        Gauge.builder(OVERDUE_GAUGE, overdue, AtomicLong::get)
                .description("withdrawals a registered consent subscriber has not applied within the deadline")
                .register(meters);
    }

    /**
     * Records a subscriber's acknowledgement, whose signature the listener has checked. One for a decision this
     * service no longer holds (erased meanwhile) or under another tenant changes nothing.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void onApplied(ConsentApplied ack) {
        boolean recorded = applications.record(UUID.fromString(ack.consentId()), ack.tenantId(),
                UUID.fromString(ack.eventId()), ack.system(), ack.appliedAt(), clock.instant());
        if (recorded) {
            LOG.debugf("consent %s applied by %s", ack.consentId(), ack.system());
        } else {
            LOG.infof("acknowledgement of consent %s by %s changes nothing (known already, or no such decision)",
                    ack.consentId(), ack.system());
        }
    }

    /** The decision's propagation, for its tenant; another tenant's decision is not found. */
    @Transactional
    public PropagationView of(String tenantId, UUID consentId) {
        ConsentRecord record = records.findByConsentId(tenantId, consentId)
                .orElseThrow(() -> ApiException.notFound("consent"));
        Map<String, Application> applied = applications.ofConsent(consentId).stream()
                .collect(Collectors.toMap(Application::subscriberId, Function.identity()));
        boolean withdrawal = record.decision == Decision.WITHDRAWN;
        Instant dueBy = withdrawal ? record.recordedAt.plus(deadline()) : null;
        boolean late = withdrawal && clock.instant().isAfter(dueBy);
        Map<String, SystemState> systems = new LinkedHashMap<>();
        for (ConsentSubscriber subscriber : subscribers.allById()) {
            if (!subscriber.registeredAt.isAfter(record.recordedAt) && !applied.containsKey(subscriber.id)) {
                PropagationState state = late ? PropagationState.OVERDUE : PropagationState.PENDING;
                systems.put(subscriber.id, new SystemState(subscriber.id, state.wire(), null));
            }
        }
        // Whoever applied it counts, registered later or removed since.
        applied.values().forEach(a -> systems.put(a.subscriberId(),
                new SystemState(a.subscriberId(), PropagationState.APPLIED.wire(), a.appliedAt())));
        List<SystemState> ordered = new ArrayList<>(systems.values());
        ordered.sort(Comparator.comparing(SystemState::system));
        return new PropagationView(consentId.toString(), record.purposeId, record.decision.wire(), record.recordedAt,
                dueBy, overall(ordered).wire(), ordered);
    }

    /** The overdue withdrawals of one tenant (or of every tenant: null), oldest first. */
    @Transactional
    public List<OverdueWithdrawalView> overdue(String tenantId, int limit) {
        return applications.overdue(tenantId, clock.instant().minus(deadline()), limit).stream()
                .map(o -> OverdueWithdrawalView.of(o, deadline())).toList();
    }

    public Duration deadline() {
        return config.propagation().withdrawalDeadline();
    }

    @Scheduled(every = "${consent.propagation.check-every:30s}", delayed = "1s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void checkOverdue() {
        alertOverdue();
    }

    /**
     * Alerts every overdue withdrawal not alerted before (at most {@code alert-batch-size} per check) and updates the
     * gauge. Several instances may check at once: a pair is alerted by whichever marks it first.
     *
     * @return how many were alerted now
     */
    @Transactional
    public int alertOverdue() {
        Instant now = clock.instant();
        Instant cutoff = now.minus(deadline());
        int alerted = 0;
        for (OverdueWithdrawal late : applications.overdueNotAlerted(cutoff, config.propagation().alertBatchSize())) {
            if (!applications.markAlerted(late.consentId(), late.subscriberId(), now)) {
                continue;
            }
            OverdueWithdrawalView view = OverdueWithdrawalView.of(late, deadline());
            // For operators: no subject id, no address; the consent id leads to the decision.
            Notification alert = Notification.forOperators(Notification.CONSENT_NOT_APPLIED, late.tenantId(), null,
                    Map.of("consentId", view.consentId(), "purpose", view.purpose(), "system", view.system(),
                            "recordedAt", view.recordedAt().toString(), "dueBy", view.dueBy().toString()),
                    now);
            outbox.publish(alert.notificationId(), late.tenantId(), late.tenantId(), alert);
            meters.counter(ALERTS_METER, "system", late.subscriberId()).increment();
            LOG.warnf("withdrawal %s (tenant %s) not applied by %s within %s", view.consentId(), view.tenantId(),
                    view.system(), deadline());
            alerted++;
        }
        overdue.set(applications.countOverdue(cutoff));
        return alerted;
    }

    private static PropagationState overall(List<SystemState> systems) {
        if (systems.stream().anyMatch(s -> PropagationState.OVERDUE.wire().equals(s.state()))) {
            return PropagationState.OVERDUE;
        }
        if (systems.stream().anyMatch(s -> PropagationState.PENDING.wire().equals(s.state()))) {
            return PropagationState.PENDING;
        }
        return PropagationState.APPLIED;
    }
}
