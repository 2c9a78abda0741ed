package io.privacyplatform.request.mapping;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.privacyplatform.events.payload.RequestProgress.SystemProgress;
import io.privacyplatform.request.AuditEntry;
import io.privacyplatform.request.RequestStatus;
import io.privacyplatform.request.RightsRequest;
import io.privacyplatform.request.service.DeadlineCalendar;

/** What the API shows of a request: no contact address, no verification secret. */
@ApplicationScoped
public class RequestViews {

    @Inject
    Clock clock;

    @Inject
    ObjectMapper mapper;

    public record RequestView(String requestId, String type, String status, String subjectId, String regulation,
            String details, Map<String, String> rectification, Instant receivedAt, Instant dueAt,
            Instant extendedDueAt, String extensionReason, Long daysLeft, boolean overdue, boolean identityVerified,
            String verifiedBy, Progress progress, Outcome outcome, Routing routing, ActionRequired actionRequired,
            Instant restrictionLiftedAt) {
    }

    /**
     * The last report of retention-service; {@code stuckSystems} names the stores that do not answer,
     * {@code missingIdentifiers} what systems that were not searched yet need.
     */
    public record Progress(String state, Instant updatedAt, List<SystemProgress> systems, List<String> stuckSystems,
            List<String> missingIdentifiers) {
    }

    /** How a closed request ended; {@code resolution} is the outcome an operator recorded. */
    public record Outcome(String status, String reason, Instant closedAt, String resolution) {
    }

    /** Why a request in status action_required waits for an operator, and the identifiers it lacks. */
    public record ActionRequired(String reason, List<String> missingIdentifiers) {
    }

    /** Processor routing: where our request went, or where the copy came from. */
    public record Routing(String controllerTenantId, String controllerRequestId, String processorTenantId,
            String processorRequestId) {
    }

    public record AuditEntryView(int seq, Instant at, String actor, String action, String detail, String prevHash,
            String hash) {
    }

    public RequestView view(RightsRequest r) {
        Instant now = clock.instant();
        boolean open = r.status.open();
        Instant due = r.effectiveDueAt();
        return new RequestView(r.id.toString(), r.type.wire(), r.status.wire(), r.subjectId,
                r.regulation.toUpperCase(Locale.ROOT), r.details, read(r.rectification, new TypeReference<>() {
                }), r.receivedAt, r.dueAt, r.extendedDueAt, r.extensionReason,
                open ? DeadlineCalendar.daysLeft(now, due) : null, open && DeadlineCalendar.overdue(now, due),
                r.verifiedAt != null, r.verifiedBy, progress(r),
                open ? null : new Outcome(r.status.wire(), r.outcomeReason, r.closedAt, r.resolution), routing(r),
                r.status == RequestStatus.ACTION_REQUIRED ? new ActionRequired(r.actionReason, missingIdentifiers(r))
                        : null,
                r.restrictionLiftedAt);
    }

    public Progress progress(RightsRequest r) {
        if (r.progressState == null) {
            return null;
        }
        List<SystemProgress> systems = systems(r);
        return new Progress(r.progressState, r.progressAt, systems,
                systems.stream().filter(s -> "stuck".equals(s.state())).map(SystemProgress::system).toList(),
                missingIdentifiers(systems));
    }

    /** The identifiers that systems of the last report need and the request lacks (they were not searched). */
    public List<String> missingIdentifiers(RightsRequest r) {
        return missingIdentifiers(systems(r));
    }

    private static List<String> missingIdentifiers(List<SystemProgress> systems) {
        return systems.stream().flatMap(s -> s.missingIdentifiers().stream()).distinct().sorted().toList();
    }

    public List<SystemProgress> systems(RightsRequest r) {
        return r.progressSystems == null ? List.of() : read(r.progressSystems, new TypeReference<>() {
        });
    }

    private static Routing routing(RightsRequest r) {
        if (r.controllerTenantId == null && r.originTenantId == null) {
            return null;
        }
        return new Routing(r.controllerTenantId, r.redirectedToId == null ? null : r.redirectedToId.toString(),
                r.originTenantId, r.originRequestId == null ? null : r.originRequestId.toString());
    }

    public static AuditEntryView view(AuditEntry e) {
        return new AuditEntryView(e.seq, e.at, e.actor, e.action, e.detail, e.prevHash, e.hash);
    }

    private <T> T read(String json, TypeReference<T> type) {
        try {
            return mapper.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored JSON is unreadable", e);
        }
    }
}
