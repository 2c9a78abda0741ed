package io.privacyplatform.retention.service;

import org.jboss.logging.Logger;

import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.Scheduled.ConcurrentExecution;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * The timers: the command sweep ({@code retention.commands.sweep-every}, default 5 s; it also releases the erasures
 * deferred by holds whose {@code until} passed) and the policy schedule check
 * ({@code retention.policies.check-every}, default 1 min). {@code off} disables either (tests call the services).
 */
@ApplicationScoped
public class RetentionSchedule {

    private static final Logger LOG = Logger.getLogger(RetentionSchedule.class);

    @Inject
    CommandTracker tracker;

    @Inject
    PolicyRunner policies;

    @Inject
    DeferredErasures deferredErasures;

    @Scheduled(identity = "command-sweep", every = "${retention.commands.sweep-every:5s}",
            concurrentExecution = ConcurrentExecution.SKIP)
    void sweepCommands() {
        int handled = tracker.sweep();
        if (handled > 0) {
            LOG.debugf("sweep handled %d overdue commands", handled);
        }
        // Holds whose until passed: the erasures they deferred are issued.
        int released = deferredErasures.sweep();
        if (released > 0) {
            LOG.debugf("sweep released deferred erasures of %d requests", released);
        }
    }

    @Scheduled(identity = "policy-schedule", every = "${retention.policies.check-every:1m}",
            concurrentExecution = ConcurrentExecution.SKIP)
    void runPolicies() {
        policies.runDue();
    }
}
