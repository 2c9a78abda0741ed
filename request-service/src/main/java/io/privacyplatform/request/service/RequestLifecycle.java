package io.privacyplatform.request.service;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.privacyplatform.events.SubjectPseudonym;
import io.privacyplatform.events.payload.Identifiers;
import io.privacyplatform.events.payload.Notification;
import io.privacyplatform.events.payload.RequestProgress;
import io.privacyplatform.events.payload.RightsRequestChanged;
import io.privacyplatform.request.RequestStatus;
import io.privacyplatform.request.RequestStatusChanged;
import io.privacyplatform.request.RequestType;
import io.privacyplatform.request.RightsRequest;
import io.privacyplatform.request.config.RequestsConfig;
import io.privacyplatform.request.mapping.RequestViews;
import io.privacyplatform.request.repository.ExportPartRepository;
import io.privacyplatform.request.repository.RightsRequestRepository;
import io.privacyplatform.support.error.ApiException;
import io.privacyplatform.support.error.ErrorResponse.FieldProblem;
import io.privacyplatform.support.outbox.Outbox;

/**
 * Every change of a rights request: the state change, its audit entry and the events it causes commit in one
 * transaction (the outbox). A transition not allowed by {@link RequestStatus#mayMoveTo} is a 409.
 */
@ApplicationScoped
public class RequestLifecycle {

    private static final Logger LOG = Logger.getLogger(RequestLifecycle.class);
    /** The actor of transitions caused by retention-service's progress reports. */
    public static final String PROGRESS_ACTOR = "retention-service";
    /** Why a verified automated-decision review waits for an operator. */
    public static final String REVIEW_REASON = "a person must review the automated decision (Art. 22(3) GDPR)";

    @Inject
    Clock clock;

    @Inject
    Outbox outbox;

    @Inject
    SubjectPseudonym pseudonym;

    @Inject
    AuditChain audit;

    @Inject
    DeadlineCalendar calendar;

    @Inject
    VerificationCodes codes;

    @Inject
    RequestsConfig config;

    @Inject
    RightsRequestRepository requests;

    @Inject
    ObjectMapper mapper;

    @Inject
    MeterRegistry meters;

    @Inject
    RequestViews views;

    @Inject
    ExportPartRepository exportParts;

    @Inject
    Event<RequestStatusChanged> statusChanges;

    /** A validated submission; {@code regulation} is a configured regulation key. */
    public record Submission(RequestType type, String subjectId, String contactEmail, String regulation,
            String details, Map<String, String> rectification, boolean identityVerified, String verifiedBy,
            String controllerTenantId) {
    }

    public enum VerificationResult {
        VERIFIED, WRONG_CODE, LOCKED, EXPIRED, NOT_PENDING
    }

    public record VerificationAttempt(VerificationResult result, int attemptsLeft, RightsRequest request) {
    }

    Instant now() {
        // PostgreSQL keeps microseconds: what is hashed into the audit chain must be what is read back.
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    @Transactional
    public RightsRequest submit(String tenantId, String actor, Submission submission) {
        Instant now = now();
        if (submission.controllerTenantId() != null) {
            return route(tenantId, actor, submission, now);
        }
        RightsRequest request = newRequest(tenantId, submission, now);
        if (submission.identityVerified()) {
            request.status = RequestStatus.VERIFIED;
            request.verifiedBy = submission.verifiedBy();
            request.verifiedAt = now;
            requests.persist(request);
            audit.append(request, now, actor, "submitted", detail("status", request.status.wire(), "type",
                    request.type.wire(), "regulation", request.regulation, "dueAt", request.dueAt.toString()));
            audit.append(request, now, actor, "verified", detail("verifiedBy", request.verifiedBy));
        } else {
            request.status = RequestStatus.IDENTITY_UNVERIFIED;
            String code = codes.newCode();
            request.verificationHash = codes.hash(request.id, code);
            request.verificationExpiresAt = now.plus(config.verification().validity());
            requests.persist(request);
            audit.append(request, now, actor, "submitted", detail("status", request.status.wire(), "type",
                    request.type.wire(), "regulation", request.regulation, "dueAt", request.dueAt.toString()));
            audit.append(request, now, actor, "verification_code_sent",
                    detail("expiresAt", request.verificationExpiresAt.toString()));
            codes.send(request, code, now);
        }
        publish(request, request.status.wire(), null, null, now);
        if (request.status == RequestStatus.VERIFIED && request.type.needsOperatorReview()) {
            requireAction(request, actor, REVIEW_REASON, now);
        }
        return request;
    }

    /**
     * The platform is only the processor of this person's data: our request is redirected and a copy with its own
     * deadline goes into the controller's queue; the requester learns who the controller is.
     */
    private RightsRequest route(String tenantId, String actor, Submission submission, Instant now) {
        RightsRequest original = newRequest(tenantId, submission, now);
        RightsRequest copy = newRequest(submission.controllerTenantId(), submission, now);
        original.status = RequestStatus.REDIRECTED;
        original.controllerTenantId = submission.controllerTenantId();
        original.redirectedToId = copy.id;
        original.closedAt = now;
        copy.status = RequestStatus.RECEIVED_FROM_PROCESSOR;
        copy.originTenantId = tenantId;
        copy.originRequestId = original.id;
        requests.persist(original);
        requests.persist(copy);
        audit.append(original, now, actor, "submitted", detail("status", RequestStatus.REDIRECTED.wire(), "type",
                original.type.wire(), "regulation", original.regulation, "dueAt", original.dueAt.toString()));
        audit.append(original, now, actor, "redirected", detail("controllerTenantId", original.controllerTenantId,
                "controllerRequestId", copy.id.toString()));
        audit.append(copy, now, actor, "received_from_processor", detail("processorTenantId", tenantId,
                "processorRequestId", original.id.toString(), "type", copy.type.wire(), "regulation",
                copy.regulation, "dueAt", copy.dueAt.toString(), "identityVouchedByProcessor",
                String.valueOf(submission.identityVerified())));
        publish(original, RequestStatus.REDIRECTED.wire(), null, null, now);
        publish(copy, RequestStatus.RECEIVED_FROM_PROCESSOR.wire(), null, null, now);
        notify(original, Notification.REQUEST_OUTCOME, Map.of("outcome", RequestStatus.REDIRECTED.wire(),
                "requestId", original.id.toString(), "controllerTenantId", original.controllerTenantId), now);
        return original;
    }

    private RightsRequest newRequest(String tenantId, Submission submission, Instant now) {
        RightsRequest request = new RightsRequest();
        request.id = UUID.randomUUID();
        request.tenantId = tenantId;
        request.type = submission.type();
        request.subjectId = submission.subjectId();
        request.contactEmail = submission.contactEmail();
        request.regulation = submission.regulation();
        request.details = submission.details();
        request.rectification = json(submission.rectification() == null ? Map.of() : submission.rectification());
        request.receivedAt = now;
        request.dueAt = calendar.dueAt(submission.regulation(), now).truncatedTo(ChronoUnit.MICROS);
        request.effectiveDueAt = request.dueAt;
        return request;
    }

    /** A code typed by the requester. Wrong attempts are counted (and committed) even though the answer is an error. */
    @Transactional
    public VerificationAttempt verifyCode(String tenantId, String actor, UUID id, String code) {
        Instant now = now();
        RightsRequest request = lock(tenantId, id);
        int max = config.verification().maxAttempts();
        if (request.status != RequestStatus.IDENTITY_UNVERIFIED || request.verificationHash == null) {
            return new VerificationAttempt(VerificationResult.NOT_PENDING, 0, request);
        }
        if (request.verificationAttempts >= max) {
            return new VerificationAttempt(VerificationResult.LOCKED, 0, request);
        }
        if (!now.isBefore(request.verificationExpiresAt)) {
            return new VerificationAttempt(VerificationResult.EXPIRED, 0, request);
        }
        if (!codes.matches(request.id, code, request.verificationHash)) {
            request.verificationAttempts++;
            audit.append(request, now, actor, "verification_failed",
                    detail("attempt", String.valueOf(request.verificationAttempts)));
            if (request.verificationAttempts >= max) {
                audit.append(request, now, actor, "verification_locked", detail("attempts", String.valueOf(max)));
                return new VerificationAttempt(VerificationResult.LOCKED, 0, request);
            }
            return new VerificationAttempt(VerificationResult.WRONG_CODE, max - request.verificationAttempts,
                    request);
        }
        request.verificationHash = null;
        request.verifiedBy = "verification-code";
        markVerified(request, actor, now);
        return new VerificationAttempt(VerificationResult.VERIFIED, max - request.verificationAttempts, request);
    }

    /**
     * A fresh code for a request whose code expired (or never arrived). Wrong attempts stay counted across codes, so
     * asking for new codes does not buy more guesses; a locked request needs someone to vouch for the identity.
     */
    @Transactional
    public RightsRequest reissueCode(String tenantId, String actor, UUID id) {
        Instant now = now();
        RightsRequest request = lock(tenantId, id);
        if (request.status != RequestStatus.IDENTITY_UNVERIFIED) {
            throw ApiException.conflict("verification_not_pending",
                    "no verification is pending for this request (status " + request.status.wire() + ")");
        }
        if (request.verificationAttempts >= config.verification().maxAttempts()) {
            throw new ApiException(423, "verification_locked", "too many wrong codes: verification is locked", null);
        }
        String code = codes.newCode();
        request.verificationHash = codes.hash(request.id, code);
        request.verificationExpiresAt = now.plus(config.verification().validity());
        audit.append(request, now, actor, "verification_code_sent",
                detail("expiresAt", request.verificationExpiresAt.toString(), "reissued", "true"));
        codes.send(request, code, now);
        return request;
    }

    /** An app or operator vouches for the requester's identity (e.g. a controller checking a routed request). */
    @Transactional
    public RightsRequest vouch(String tenantId, String actor, UUID id, String verifiedBy) {
        Instant now = now();
        RightsRequest request = lock(tenantId, id);
        request.verifiedBy = verifiedBy;
        request.verificationHash = null;
        markVerified(request, actor, now);
        return request;
    }

    private void markVerified(RightsRequest request, String actor, Instant now) {
        request.verifiedAt = now;
        move(request, RequestStatus.VERIFIED, actor, "verified", detail("verifiedBy", request.verifiedBy), null,
                now);
        if (request.type.needsOperatorReview()) {
            requireAction(request, actor, REVIEW_REASON, now);
        }
    }

    @Transactional
    public RightsRequest extend(String tenantId, String actor, UUID id, int months, String reason) {
        Instant now = now();
        RightsRequest request = lock(tenantId, id);
        if (!request.status.open()) {
            throw invalidTransition(request.status.wire(), RightsRequestChanged.EXTENDED);
        }
        if (request.extendedDueAt != null) {
            throw ApiException.conflict("already_extended", "a request can be extended only once");
        }
        if (!now.isBefore(request.dueAt)) {
            throw ApiException.conflict("extension_too_late",
                    "an extension must be given before the original due date " + request.dueAt);
        }
        request.extendedDueAt = calendar.extend(request.dueAt, months);
        request.extensionReason = reason;
        request.effectiveDueAt = request.extendedDueAt;
        // The new deadline gets its own "7 days left" warning.
        request.alertDueSoonAt = null;
        audit.append(request, now, actor, "extended", detail("months", String.valueOf(months), "extendedDueAt",
                request.extendedDueAt.toString(), "reason", reason));
        publish(request, RightsRequestChanged.EXTENDED, request.status.wire(), reason, now);
        // Art. 12(3): the requester is told of the extension and why.
        notify(request, Notification.REQUEST_OUTCOME, Map.of("outcome", RightsRequestChanged.EXTENDED,
                "requestId", request.id.toString(), "extendedDueAt", request.extendedDueAt.toString(), "reason",
                reason), now);
        return request;
    }

    @Transactional
    public RightsRequest deny(String tenantId, String actor, UUID id, String reason) {
        Instant now = now();
        RightsRequest request = lock(tenantId, id);
        request.outcomeReason = reason;
        move(request, RequestStatus.DENIED, actor, "denied", detail("reason", reason), reason, now);
        notify(request, Notification.REQUEST_OUTCOME, Map.of("outcome", RequestStatus.DENIED.wire(), "requestId",
                request.id.toString(), "reason", reason), now);
        return request;
    }

    @Transactional
    public RightsRequest cancel(String tenantId, String actor, UUID id, String reason) {
        Instant now = now();
        RightsRequest request = lock(tenantId, id);
        request.outcomeReason = reason;
        move(request, RequestStatus.CANCELLED, actor, "cancelled", detail("reason", reason), reason, now);
        return request;
    }

    /**
     * retention-service's report, inside the inbox transaction. The first report moves a verified request to
     * {@code in_progress} (or {@code action_required}); {@code completed} and {@code failed} close it, once: a
     * repeated report finds it closed. {@code action_required} waits for an operator, with the report's reason; a
     * later report that moves on brings the request back to {@code in_progress}. An export completes only when its
     * data has arrived too; a type that needs a person's review is closed only by an operator's resolution.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void onProgress(String tenantId, RequestProgress progress) {
        UUID id;
        try {
            id = UUID.fromString(progress.requestId());
        } catch (IllegalArgumentException e) {
            LOG.warnf("progress for a request id that is none of ours, ignored");
            return;
        }
        RightsRequest request = requests.lockForTenant(tenantId, id).orElse(null);
        if (request == null) {
            LOG.warnf("progress for unknown request %s, ignored", id);
            return;
        }
        if (request.progressAt != null && progress.occurredAt().isBefore(request.progressAt)) {
            LOG.debugf("stale progress for request %s, ignored", id);
            return;
        }
        Instant now = now();
        request.progressState = progress.state();
        request.progressSystems = json(progress.systems());
        request.progressAt = progress.occurredAt();
        RequestStatus status = request.status;
        if (request.type.needsOperatorReview() || (status != RequestStatus.VERIFIED
                && status != RequestStatus.IN_PROGRESS && status != RequestStatus.ACTION_REQUIRED)) {
            return;
        }
        int systems = progress.systems().size();
        switch (progress.state()) {
            case RequestProgress.ACTION_REQUIRED -> requireAction(request, PROGRESS_ACTOR, progress.reason(), now);
            case RequestProgress.COMPLETED -> {
                inProgress(request, systems, now);
                if (request.type.exportsData() && !exportDelivered(request)) {
                    LOG.infof("request %s: the stores are done, waiting for the rest of the export data", id);
                    return;
                }
                complete(request, PROGRESS_ACTOR, "completed", detail("systems", String.valueOf(systems)), null,
                        Map.of(), now);
            }
            case RequestProgress.FAILED -> {
                inProgress(request, systems, now);
                move(request, RequestStatus.FAILED, PROGRESS_ACTOR, "failed",
                        detail("systems", String.valueOf(systems)), null, now);
            }
            // in_progress and stuck keep the request in progress; the stuck systems show in its view.
            default -> inProgress(request, systems, now);
        }
    }

    /**
     * A part of a store's export arrived (inside the ack's inbox transaction, the request locked): the part that
     * makes the export whole completes a request that retention-service already reported completed.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void onExportPart(RightsRequest request) {
        if (request.status != RequestStatus.IN_PROGRESS || !RequestProgress.COMPLETED.equals(request.progressState)
                || !exportDelivered(request)) {
            return;
        }
        complete(request, PROGRESS_ACTOR, "completed",
                detail("systems", String.valueOf(views.systems(request).size()), "trigger", "export_data"), null,
                Map.of(), now());
    }

    private boolean exportDelivered(RightsRequest request) {
        return ExportCollector.delivered(views.systems(request), exportParts.ofRequest(request.tenantId,
                request.id));
    }

    private void inProgress(RightsRequest request, int systems, Instant now) {
        if (request.status == RequestStatus.IN_PROGRESS) {
            return;
        }
        request.actionReason = null;
        move(request, RequestStatus.IN_PROGRESS, PROGRESS_ACTOR, "in_progress",
                detail("systems", String.valueOf(systems)), null, now);
    }

    /** The request waits for an operator; a request already waiting only takes the newer reason. */
    private void requireAction(RightsRequest request, String actor, String reason, Instant now) {
        if (request.status == RequestStatus.ACTION_REQUIRED) {
            request.actionReason = reason;
            return;
        }
        request.actionReason = reason;
        move(request, RequestStatus.ACTION_REQUIRED, actor, "action_required", detail("reason", reason), reason,
                now);
    }

    private void complete(RightsRequest request, String actor, String action, String detail, String reason,
            Map<String, String> outcome, Instant now) {
        move(request, RequestStatus.COMPLETED, actor, action, detail, reason, now);
        Timer.builder("privacy.requests.time.to.complete")
                .description("From receipt to completion of a rights request")
                .tag("type", request.type.wire()).publishPercentileHistogram()
                // Buckets from a minute to the 90-odd days of a twice-extended request.
                .minimumExpectedValue(Duration.ofMinutes(1)).maximumExpectedValue(Duration.ofDays(100))
                .register(meters).record(Duration.between(request.receivedAt, now));
        Map<String, String> params = new LinkedHashMap<>();
        params.put("outcome", RequestStatus.COMPLETED.wire());
        params.put("requestId", request.id.toString());
        params.putAll(outcome);
        notify(request, Notification.REQUEST_OUTCOME, params, now);
    }

    /**
     * An operator closes a request that waits for one, recording what was done and why: the audit chain, the
     * {@code completed} event (with the reason) and the requester's notification (with both) say so.
     */
    @Transactional
    public RightsRequest resolve(String tenantId, String actor, UUID id, String outcome, String reason) {
        Instant now = now();
        RightsRequest request = lock(tenantId, id);
        if (request.status != RequestStatus.ACTION_REQUIRED) {
            throw ApiException.conflict("not_action_required", "only a request in status action_required is "
                    + "resolved by an operator (status " + request.status.wire() + ")");
        }
        request.resolution = outcome;
        request.outcomeReason = reason;
        complete(request, actor, "resolved", detail("outcome", outcome, "reason", reason), reason,
                Map.of("resolution", outcome, "reason", reason), now);
        return request;
    }

    /**
     * An operator adds the e-mail address some stores need to search (they got no command without it). The
     * address travels to them on {@code identifiers_added}; the audit entry names only which identifier was added.
     */
    @Transactional
    public RightsRequest addEmail(String tenantId, String actor, UUID id, String email) {
        Instant now = now();
        RightsRequest request = lock(tenantId, id);
        boolean missing = views.missingIdentifiers(request).contains(Identifiers.EMAIL);
        if (!(request.status == RequestStatus.IN_PROGRESS
                || (request.status == RequestStatus.ACTION_REQUIRED && missing))) {
            throw ApiException.conflict("identifiers_not_needed", "identifiers are added to a request in progress "
                    + "or one waiting for a missing identifier (status " + request.status.wire() + ")");
        }
        request.contactEmail = email;
        audit.append(request, now, actor, "identifiers_added", detail("identifiers", Identifiers.EMAIL));
        publish(request, RightsRequestChanged.IDENTIFIERS_ADDED, request.status.wire(), null, now);
        return request;
    }

    /**
     * An operator lifts the restriction a verified restriction request put in place, once: the stores that
     * restricted the data are told to lift it, and the requester is informed (Art. 18(3) GDPR).
     */
    @Transactional
    public RightsRequest liftRestriction(String tenantId, String actor, UUID id, String reason) {
        Instant now = now();
        RightsRequest request = lock(tenantId, id);
        if (request.type != RequestType.RESTRICTION || request.verifiedAt == null) {
            throw ApiException.conflict("not_a_restriction",
                    "only a verified restriction request has a restriction to lift");
        }
        if (request.restrictionLiftedAt != null) {
            throw ApiException.conflict("already_lifted", "the restriction was lifted at "
                    + request.restrictionLiftedAt);
        }
        request.restrictionLiftedAt = now;
        audit.append(request, now, actor, "restriction_lifted", detail("reason", reason));
        publish(request, RightsRequestChanged.RESTRICTION_LIFTED, request.status.wire(), reason, now);
        notify(request, Notification.REQUEST_OUTCOME, Map.of("outcome", RightsRequestChanged.RESTRICTION_LIFTED,
                "requestId", request.id.toString(), "reason", reason), now);
        return request;
    }

    private void move(RightsRequest request, RequestStatus to, String actor, String action, String detail,
            String reason, Instant now) {
        RequestStatus from = request.status;
        if (!from.mayMoveTo(to)) {
            throw invalidTransition(from.wire(), to.wire());
        }
        request.status = to;
        if (!to.open()) {
            request.closedAt = now;
        }
        audit.append(request, now, actor, action, detail);
        publish(request, to.wire(), from.wire(), reason, now);
        // Observers (OpenDSR's status callbacks) write what follows in this same transaction.
        statusChanges.fire(new RequestStatusChanged(request, from, to, now));
    }

    public static ApiException invalidTransition(String from, String to) {
        return new ApiException(409, "invalid_transition",
                "a request cannot go from '" + from + "' to '" + to + "'",
                List.of(new FieldProblem("status", "from " + from + " to " + to)));
    }

    private RightsRequest lock(String tenantId, UUID id) {
        return requests.lockForTenant(tenantId, id).orElseThrow(() -> ApiException.notFound("request"));
    }

    /** Key = the subject's pseudonym; address and rectification pairs only on {@code verified}. */
    private void publish(RightsRequest request, String status, String previous, String reason, Instant now) {
        RightsRequestChanged event = RightsRequestChanged.of(request.id.toString(), request.tenantId,
                request.type.wire(), status, previous, request.subjectId, request.contactEmail,
                request.regulation.toUpperCase(Locale.ROOT), request.receivedAt, request.effectiveDueAt(),
                rectification(request), request.controllerTenantId, reason, now);
        outbox.publish(request.tenantId, pseudonym.of(request.tenantId, request.subjectId), event);
    }

    private void notify(RightsRequest request, String kind, Map<String, String> params, Instant now) {
        if (request.contactEmail == null) {
            return;
        }
        Notification notification = Notification.of(kind, request.tenantId, request.contactEmail, request.subjectId,
                request.id.toString(), params, now);
        outbox.publish(request.tenantId, pseudonym.of(request.tenantId, request.subjectId), notification);
    }

    public Map<String, String> rectification(RightsRequest request) {
        try {
            return mapper.readValue(request.rectification, new TypeReference<Map<String, String>>() {
            });
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("rectification of request " + request.id + " is not a JSON object", e);
        }
    }

    /** Audit details: a small JSON object of the given name/value pairs (nulls left out). */
    private String detail(String... pairs) {
        return audit.detail((Object[]) pairs);
    }

    private String json(Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
