package io.privacyplatform.retention.service;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.jboss.logging.Logger;

import io.privacyplatform.events.payload.CommandKind;
import io.privacyplatform.events.payload.CommandSubject;
import io.privacyplatform.events.payload.RightsRequestChanged;
import io.privacyplatform.retention.CommandState;
import io.privacyplatform.retention.DataSystem;
import io.privacyplatform.retention.ProgressState;
import io.privacyplatform.retention.RightsRequest;
import io.privacyplatform.retention.SubjectCommand;
import io.privacyplatform.retention.repository.DataSystemRepository;
import io.privacyplatform.retention.repository.RightsRequestRepository;
import io.privacyplatform.retention.repository.SubjectCommandRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

/**
 * An operator lifted a restriction ({@code restriction_lifted}): every system that got the request's RESTRICT gets
 * LIFT_RESTRICTION for the same categories, addressed by the same subject (the RESTRICT kept it for this), tracked
 * like any command; the request is in progress again until they answer. Once per request: a repeated event finds
 * the lifts issued.
 */
@ApplicationScoped
public class RestrictionLifts {

    private static final Logger LOG = Logger.getLogger(RestrictionLifts.class);

    @Inject
    RightsRequestRepository requests;

    @Inject
    SubjectCommandRepository commands;

    @Inject
    DataSystemRepository systems;

    @Inject
    CommandDispatcher dispatcher;

    @Inject
    CommandTracker tracker;

    @Inject
    Clock clock;

    @Transactional(Transactional.TxType.MANDATORY)
    public void onRestrictionLifted(RightsRequestChanged event) {
        RightsRequest request = requests.lockOfTenant(event.requestId(), event.tenantId());
        if (request == null) {
            LOG.warnf("restriction of request %s lifted, but it was not verified here for its tenant; ignored",
                    event.requestId());
            return;
        }
        List<SubjectCommand> ofRequest = commands.ofRequest(request.requestId);
        if (ofRequest.stream().anyMatch(c -> c.kind == CommandKind.LIFT_RESTRICTION)) {
            LOG.infof("restriction of request %s was lifted before; nothing sent", request.requestId);
            return;
        }
        Instant now = clock.instant();
        int sent = 0;
        for (SubjectCommand restrict : ofRequest) {
            if (restrict.kind != CommandKind.RESTRICT) {
                continue;
            }
            if (restrict.state == CommandState.ACTION_REQUIRED) {
                // Never sent (an identifier was missing): nothing to lift, and it must not go out after the lift.
                restrict.state = CommandState.DONE;
                restrict.missingIdentifiers = new String[0];
                restrict.payload = null;
                restrict.detail = "not sent: the restriction was lifted first";
                restrict.updatedAt = now;
                restrict.completedAt = now;
                continue;
            }
            DataSystem system = systems.findById(restrict.systemId);
            if (system == null) {
                LOG.warnf("system %s left the data map; it gets no LIFT_RESTRICTION for request %s",
                        restrict.systemId, request.requestId);
                continue;
            }
            CommandSubject subject = dispatcher.subjectOf(restrict);
            if (subject == null) {
                subject = new CommandSubject(event.subjectId(), null);
            }
            dispatcher.issue(new CommandOrder(request.requestId, null, request.tenantId, restrict.recordKey, system,
                    CommandKind.LIFT_RESTRICTION, List.of(restrict.categories), List.of(), subject, Map.of(), null,
                    now.plusSeconds(system.ackTimeoutSeconds)));
            if (restrict.finished()) {
                restrict.payload = null; // the lift carries the subject now; an open RESTRICT may still be re-sent
            }
            sent++;
        }
        LOG.infof("restriction of request %s lifted: LIFT_RESTRICTION to %d systems", request.requestId, sent);
        request.state = ProgressState.IN_PROGRESS; // completes again once the lifts are answered
        tracker.settleRequest(request);
    }
}
