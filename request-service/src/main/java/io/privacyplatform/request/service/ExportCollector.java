package io.privacyplatform.request.service;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import org.jboss.logging.Logger;

import io.privacyplatform.events.payload.AckOutcome;
import io.privacyplatform.events.payload.CommandAck;
import io.privacyplatform.events.payload.CommandKind;
import io.privacyplatform.events.payload.RequestProgress.SystemProgress;
import io.privacyplatform.request.ExportPart;
import io.privacyplatform.request.RightsRequest;
import io.privacyplatform.request.mapping.RequestViews;
import io.privacyplatform.request.repository.ExportPartRepository;
import io.privacyplatform.request.repository.RightsRequestRepository;

/**
 * Keeps what each store exported for a request, part by part, and only from the stores retention-service asked:
 * an ack from a system that the request's progress does not list with an EXPORT command, or with another command
 * id, is rejected (logged, nothing stored) — otherwise any producer on the ack topic could add data to someone's
 * export. The part that completes a request's export completes the request when retention-service already
 * reported it completed ({@link RequestLifecycle#onExportPart}).
 */
@ApplicationScoped
public class ExportCollector {

    private static final Logger LOG = Logger.getLogger(ExportCollector.class);

    @Inject
    ExportPartRepository parts;

    @Inject
    RightsRequestRepository requests;

    @Inject
    RequestViews views;

    @Inject
    RequestLifecycle lifecycle;

    @Inject
    Clock clock;

    /** Thrown while the request's progress cannot yet tell whether the system was asked: the inbox tries again. */
    public static class ProgressNotYetKnown extends IllegalStateException {
        ProgressNotYetKnown(String message) {
            super(message);
        }
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void onAck(String tenantId, CommandAck ack) {
        if (ack.requestId() == null || !carriesExport(ack)) {
            return;
        }
        UUID requestId;
        try {
            requestId = UUID.fromString(ack.requestId());
        } catch (IllegalArgumentException e) {
            return;
        }
        // The request's lock orders this part against progress reports and other parts: completion is decided once.
        RightsRequest request = requests.lockForTenant(tenantId, requestId).orElse(null);
        if (request == null) {
            LOG.warnf("EXPORT ack of %s for unknown request %s, rejected", ack.system(), requestId);
            return;
        }
        if (wasAsked(request, ack) && store(request, ack)) {
            lifecycle.onExportPart(request);
        }
    }

    /** Only EXPORT answers carry data; the acks of other commands are retention-service's business. */
    public static boolean carriesExport(CommandAck ack) {
        return ack.data() != null && !ack.data().isNull();
    }

    /**
     * Whether the request's progress lists the system with this EXPORT command. An ack that may simply be
     * ahead of the progress report that lists its command (the first report, or the one after an operator added an
     * identifier) is tried again by the inbox rather than rejected.
     */
    private boolean wasAsked(RightsRequest request, CommandAck ack) {
        if (request.progressState == null) {
            throw new ProgressNotYetKnown("no progress report for request " + request.id + " yet");
        }
        Optional<SystemProgress> entry = views.systems(request).stream()
                .filter(s -> s.system().equals(ack.system())).findFirst();
        if (entry.isPresent() && entry.get().commandId() == null) {
            throw new ProgressNotYetKnown("system " + ack.system() + " has no command for request " + request.id
                    + " yet");
        }
        if (entry.isEmpty() || !CommandKind.EXPORT.name().equals(entry.get().kind())
                || !entry.get().commandId().equals(ack.commandId())) {
            LOG.warnf("EXPORT ack of %s (command %s) for request %s: the system was not asked for it, rejected",
                    ack.system(), ack.commandId(), request.id);
            return false;
        }
        return true;
    }

    /**
     * Stores the ack's part once; a repeated part (a re-sent command read again) is ignored. A new delivery with
     * another number of parts replaces the earlier one, so the parts of one system always belong together.
     */
    private boolean store(RightsRequest request, CommandAck ack) {
        int part = ack.part() == null ? 1 : ack.part();
        int total = ack.parts() == null ? 1 : ack.parts();
        if (total > 1 && !ack.data().isArray()) {
            LOG.warnf("EXPORT ack of %s for request %s: part %d of %d is not a JSON array, rejected", ack.system(),
                    request.id, part, total);
            return false;
        }
        List<ExportPart> stored = parts.ofSystem(request.tenantId, request.id, ack.system());
        if (stored.stream().anyMatch(p -> p.parts != total)) {
            parts.deleteOfSystem(request.tenantId, request.id, ack.system());
            parts.flush();
        } else if (stored.stream().anyMatch(p -> p.part == part)) {
            LOG.debugf("EXPORT part %d of %s for request %s is kept already", part, ack.system(), request.id);
            return false;
        }
        ExportPart row = new ExportPart();
        row.tenantId = request.tenantId;
        row.requestId = request.id;
        row.system = ack.system();
        row.part = part;
        row.parts = total;
        row.commandId = ack.commandId();
        row.records = ack.records();
        row.data = ack.data().toString();
        row.receivedAt = clock.instant();
        parts.persist(row);
        parts.flush();
        return true;
    }

    /**
     * Whether every system that exported records ({@code DONE} with records in the progress) has delivered all its
     * parts, 1..n. A system that found nothing has nothing to deliver.
     */
    public static boolean delivered(List<SystemProgress> systems, List<ExportPart> stored) {
        Map<String, List<ExportPart>> bySystem = stored.stream().collect(Collectors.groupingBy(p -> p.system));
        for (SystemProgress system : systems) {
            if (!CommandKind.EXPORT.name().equals(system.kind()) || system.outcome() != AckOutcome.DONE
                    || system.records() == 0) {
                continue;
            }
            List<ExportPart> of = bySystem.getOrDefault(system.system(), List.of());
            // store() keeps one number of parts per system and each part once: n rows are parts 1..n.
            if (of.isEmpty() || of.size() != of.get(0).parts) {
                return false;
            }
        }
        return true;
    }
}
