package io.privacyplatform.retention.service;

import java.util.Arrays;
import java.util.List;
import java.util.Set;

import org.jboss.logging.Logger;

import io.privacyplatform.events.payload.RightsRequestChanged;
import io.privacyplatform.retention.CommandState;
import io.privacyplatform.retention.RightsRequest;
import io.privacyplatform.retention.SubjectCommand;
import io.privacyplatform.retention.repository.RightsRequestRepository;
import io.privacyplatform.retention.repository.SubjectCommandRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

/**
 * Commands that wait in {@code action_required} because the request lacked an identifier their system needs. When an
 * operator adds it ({@code identifiers_added}, with the address in {@code contactEmail}), each waiting command whose
 * system now has everything it needs is sent, once: a repeated event finds nothing waiting.
 */
@ApplicationScoped
public class WaitingCommands {

    private static final Logger LOG = Logger.getLogger(WaitingCommands.class);

    @Inject
    RightsRequestRepository requests;

    @Inject
    SubjectCommandRepository commands;

    @Inject
    CommandDispatcher dispatcher;

    @Inject
    CommandTracker tracker;

    @Transactional(Transactional.TxType.MANDATORY)
    public void onIdentifiersAdded(RightsRequestChanged event) {
        // The request's lock first, as for acks and the sweep: its commands change under it only.
        RightsRequest request = requests.lockOfTenant(event.requestId(), event.tenantId());
        if (request == null) {
            LOG.warnf("identifiers added to request %s, not verified here for its tenant; ignored",
                    event.requestId());
            return;
        }
        Set<String> present = ErasureOrchestrator.identifiersOf(event.contactEmail());
        int sent = 0;
        for (SubjectCommand command : commands.ofRequest(request.requestId)) {
            if (command.state != CommandState.ACTION_REQUIRED) {
                continue;
            }
            List<String> stillMissing = Arrays.stream(command.missingIdentifiers)
                    .filter(identifier -> !present.contains(identifier)).toList();
            if (stillMissing.isEmpty()) {
                dispatcher.issueWaiting(command, event.contactEmail());
                sent++;
            } else {
                command.missingIdentifiers = stillMissing.toArray(String[]::new);
            }
        }
        if (sent == 0) {
            LOG.infof("identifiers added to request %s: no command was waiting for them", request.requestId);
            return;
        }
        LOG.infof("identifiers added to request %s: %d waiting commands sent", request.requestId, sent);
        tracker.settleRequest(request);
    }
}
