package io.privacyplatform.retention.service;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;

import io.privacyplatform.events.SubjectPseudonym;
import io.privacyplatform.events.payload.CommandKind;
import io.privacyplatform.events.payload.CommandSubject;
import io.privacyplatform.events.payload.Identifiers;
import io.privacyplatform.events.payload.RightsRequestChanged;
import io.privacyplatform.retention.DataSystem;
import io.privacyplatform.retention.LegalHold;
import io.privacyplatform.retention.RightsRequest;
import io.privacyplatform.retention.config.Marketing;
import io.privacyplatform.retention.repository.DataSystemRepository;
import io.privacyplatform.retention.repository.LegalHoldRepository;
import io.privacyplatform.retention.repository.RightsRequestRepository;
import io.privacyplatform.retention.repository.SubjectCommandRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

/**
 * Turns a verified rights request into one command per system that holds data it concerns:
 * <ul>
 * <li>{@code erasure} → ERASE to systems with {@code erase}, for their categories minus those under a legal hold
 * for the subject (a system left with nothing is recorded as {@code held} without a command);</li>
 * <li>{@code access}, {@code portability}, {@code information} → EXPORT to systems with {@code export};</li>
 * <li>{@code restriction} → RESTRICT to systems with {@code restrict};</li>
 * <li>{@code rectification} → RECTIFY with the requested pairs to systems with {@code rectify};</li>
 * <li>{@code objection} → RESTRICT to systems with {@code restrict}, for their marketing categories only.</li>
 * </ul>
 * Systems are platform-wide: each holds its categories for every tenant. A request with no such system (an unknown
 * type, a rectification without pairs) waits in {@code action_required} for an operator: nothing done is not
 * "completed". A system needing an identifier the request lacks gets no command yet ({@link WaitingCommands} sends it
 * once an operator adds it). The request row is inserted first with ON CONFLICT DO NOTHING, so a request verified
 * twice (a redelivered or re-published event) issues its commands once.
 */
@ApplicationScoped
public class ErasureOrchestrator {

    private static final Logger LOG = Logger.getLogger(ErasureOrchestrator.class);

    @Inject
    RightsRequestRepository requests;

    @Inject
    SubjectCommandRepository commands;

    @Inject
    LegalHoldRepository holds;

    @Inject
    CommandDispatcher dispatcher;

    @Inject
    CommandTracker tracker;

    @Inject
    DeferredErasures deferredErasures;

    @Inject
    DataSystemRepository systems;

    @Inject
    SubjectPseudonym pseudonym;

    @Inject
    WaitingCommands waitingCommands;

    @Inject
    RestrictionLifts restrictionLifts;

    @Inject
    Clock clock;

    /** Acts on verification, on identifiers an operator added, and on a lifted restriction; ignores the rest. */
    @Transactional
    public void onRequestChanged(RightsRequestChanged event) {
        switch (event.status()) {
            case RightsRequestChanged.VERIFIED -> onVerified(event);
            case RightsRequestChanged.IDENTIFIERS_ADDED -> waitingCommands.onIdentifiersAdded(event);
            case RightsRequestChanged.RESTRICTION_LIFTED -> restrictionLifts.onRestrictionLifted(event);
            default -> {
                // the stores act on these three transitions only
            }
        }
    }

    private void onVerified(RightsRequestChanged event) {
        Instant now = clock.instant();
        String key = pseudonym.of(event.tenantId(), event.subjectId());
        CommandKind kind = kindOf(event.type());
        if (kind == null) {
            LOG.warnf("request %s has unknown type %s; nothing to do", event.requestId(), event.type());
        }
        Map<String, String> heldReasons = RightsRequest.ERASURE.equals(event.type())
                ? activeHolds(event.tenantId(), key, now)
                : Map.of();
        if (!requests.insertIfAbsent(event.requestId(), event.tenantId(), event.type(), key, event.dueAt(), now)) {
            LOG.infof("request %s was verified before; its commands exist", event.requestId());
            return;
        }
        RightsRequest request = requests.findById(event.requestId());
        CommandSubject subject = new CommandSubject(event.subjectId(), event.contactEmail());
        int issued = 0;
        if (kind != null) {
            for (DataSystem system : systems.all()) {
                issued += order(event, request, system, kind, subject, heldReasons, now) ? 1 : 0;
            }
        }
        // The certificate lists the holds that actually kept a category in some system.
        Set<String> keptSomewhere = new TreeSet<>();
        commands.ofRequest(request.requestId).forEach(c -> keptSomewhere.addAll(List.of(c.heldCategories)));
        List<Map<String, String>> held = new ArrayList<>();
        keptSomewhere.forEach(c -> held.add(Map.of("category", c, "reason", heldReasons.get(c))));
        request.held = json(held);
        LOG.infof("request %s (%s): %d systems addressed", event.requestId(), event.type(), issued);
        tracker.settleRequest(request);
    }

    private boolean order(RightsRequestChanged event, RightsRequest request, DataSystem system, CommandKind kind,
            CommandSubject subject, Map<String, String> heldReasons, Instant now) {
        String capability = kind.name().toLowerCase();
        if (!system.can(capability)) {
            return false;
        }
        List<String> categories = new ArrayList<>();
        List<String> heldHere = new ArrayList<>();
        for (String category : system.categories) {
            if ("objection".equals(event.type()) && !Marketing.isMarketing(category)) {
                continue;
            }
            if (heldReasons.containsKey(category)) {
                heldHere.add(category);
            } else {
                categories.add(category);
            }
        }
        if (categories.isEmpty() && heldHere.isEmpty()) {
            return false;
        }
        if (kind == CommandKind.RECTIFY && event.rectification().isEmpty()) {
            return false;
        }
        Instant deadline = event.dueAt() != null ? event.dueAt() : now.plusSeconds(system.ackTimeoutSeconds);
        CommandOrder order = new CommandOrder(request.requestId, null, request.tenantId, request.subjectPseudonym,
                system, kind, categories, heldHere, subject,
                kind == CommandKind.RECTIFY ? event.rectification() : Map.of(), null, deadline);
        if (!heldHere.isEmpty()) {
            deferredErasures.record(request, system.id, heldHere, heldReasons, subject);
        }
        List<String> missing = system.missing(identifiersOf(event.contactEmail()));
        if (categories.isEmpty()) {
            List<String> reasons = heldHere.stream().map(c -> c + " (" + heldReasons.get(c) + ")").toList();
            dispatcher.recordHeld(order, "legal hold: " + String.join(", ", reasons));
        } else if (!missing.isEmpty()) {
            // Searching by an identifier the system does not index would answer NOT_FOUND and claim too much.
            dispatcher.recordWaiting(order, missing);
        } else {
            dispatcher.issue(order);
        }
        return true;
    }

    /** The identifiers a request has: always the subject id; the e-mail address when one was given. */
    static Set<String> identifiersOf(String contactEmail) {
        return contactEmail == null || contactEmail.isBlank() ? Set.of(Identifiers.SUBJECT_ID)
                : Set.of(Identifiers.SUBJECT_ID, Identifiers.EMAIL);
    }

    /** Category → reason of every hold on this subject that is in force now (the first reason per category). */
    private Map<String, String> activeHolds(String tenantId, String subjectPseudonym, Instant now) {
        Map<String, String> reasons = new TreeMap<>();
        for (LegalHold hold : holds.ofSubject(tenantId, subjectPseudonym)) {
            if (hold.activeAt(now)) {
                for (String category : hold.categories) {
                    reasons.putIfAbsent(category, hold.reason);
                }
            }
        }
        return reasons;
    }

    static CommandKind kindOf(String type) {
        return switch (type) {
            case "erasure" -> CommandKind.ERASE;
            case "access", "portability", "information" -> CommandKind.EXPORT;
            case "restriction", "objection" -> CommandKind.RESTRICT;
            case "rectification" -> CommandKind.RECTIFY;
            default -> null;
        };
    }

    private static String json(List<Map<String, String>> held) {
        try {
            List<Map<String, String>> sorted = held.stream().map(h -> (Map<String, String>) new LinkedHashMap<>(h))
                    .toList();
            return CertificateSigner.CANONICAL.writeValueAsString(sorted);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
