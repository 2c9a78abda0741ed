package io.privacyplatform.request.service;

import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import io.privacyplatform.request.OpenDsrDialect;
import io.privacyplatform.request.OpenDsrRequest;
import io.privacyplatform.request.OpenDsrStatus;
import io.privacyplatform.request.RightsRequest;
import io.privacyplatform.request.mapping.OpenDsrRequestParser.ParsedRequest;
import io.privacyplatform.request.repository.OpenDsrRequestRepository;
import io.privacyplatform.request.repository.RightsRequestRepository;
import io.privacyplatform.request.service.RequestLifecycle.Submission;
import io.privacyplatform.support.error.ApiException;

/**
 * OpenDSR requests of controllers' tools, each one rights request of the controller's tenant. The tool is the
 * controller's, authenticated with the tenant's token: the controller has verified the data subject before sending
 * (OpenDSR's flow, step 2), so the rights request starts verified, vouched for by the tool, as when an app vouches
 * for a logged-in user; no code goes to the subject. Its audit names the tool and the controller's request id.
 */
@ApplicationScoped
public class OpenDsrRequests {

    /** Who vouched for the identity, in the rights request and its audit chain. */
    static final String VOUCHED_BY = "OpenDSR controller tool ";

    @Inject
    Clock clock;

    @Inject
    RequestLifecycle lifecycle;

    @Inject
    OpenDsrRequestRepository openDsrRequests;

    @Inject
    RightsRequestRepository requests;

    /** An OpenDSR request with its rights request as it stands. */
    public record Mapped(OpenDsrRequest openDsr, RightsRequest request) {
    }

    /**
     * The request, new or, for a {@code subject_request_id} this tenant sent before with the same body, the one it
     * became then (409 {@code subject_request_id_reused} for another body).
     */
    @Transactional
    public Mapped submit(String tenantId, String actor, ParsedRequest parsed, OpenDsrDialect dialect, URI base) {
        openDsrRequests.lockSubjectRequestId(tenantId, parsed.subjectRequestId());
        OpenDsrRequest earlier = openDsrRequests.findForTenant(tenantId, parsed.subjectRequestId()).orElse(null);
        if (earlier != null) {
            if (!earlier.bodyDigest.equals(parsed.bodyDigest())) {
                throw ApiException.conflict("subject_request_id_reused", "subject_request_id "
                        + parsed.subjectRequestId() + " was sent before with another body");
            }
            return new Mapped(earlier, requests.getForTenant(tenantId, earlier.requestId));
        }
        String details = "OpenDSR request " + parsed.subjectRequestId() + ", submitted by the data subject at "
                + parsed.submittedTime();
        RightsRequest request = lifecycle.submit(tenantId, actor, new Submission(parsed.type(), parsed.subjectId(),
                parsed.contactEmail(), parsed.regulation(), details, Map.of(), true, vouchedBy(actor), null));
        OpenDsrRequest openDsr = new OpenDsrRequest();
        openDsr.id = UUID.randomUUID();
        openDsr.tenantId = tenantId;
        openDsr.subjectRequestId = parsed.subjectRequestId();
        openDsr.requestId = request.id;
        openDsr.bodyDigest = parsed.bodyDigest();
        openDsr.dialect = dialect;
        openDsr.apiVersion = parsed.apiVersion();
        openDsr.submittedTime = parsed.submittedTime().truncatedTo(ChronoUnit.MICROS);
        openDsr.receivedAt = request.receivedAt;
        openDsr.processorBaseUrl = base.toString();
        openDsr.statusCallbackUrls = parsed.statusCallbackUrls();
        openDsr.reportedStatus = OpenDsrStatus.of(request.status);
        openDsrRequests.persist(openDsr);
        return new Mapped(openDsr, request);
    }

    @Transactional
    public Mapped get(String tenantId, UUID subjectRequestId) {
        OpenDsrRequest openDsr = openDsrRequests.findForTenant(tenantId, subjectRequestId)
                .orElseThrow(() -> ApiException.notFound("OpenDSR request"));
        return new Mapped(openDsr, requests.getForTenant(tenantId, openDsr.requestId));
    }

    /**
     * Section 9: the controller withdraws a request that is still {@code pending}; once the stores were asked it is
     * too late to call it back (409 {@code not_pending}). The status callbacks say {@code cancelled}.
     */
    @Transactional
    public Mapped cancel(String tenantId, String actor, UUID subjectRequestId) {
        Mapped mapped = get(tenantId, subjectRequestId);
        OpenDsrStatus status = OpenDsrStatus.of(mapped.request().status);
        if (status != OpenDsrStatus.PENDING) {
            throw ApiException.conflict("not_pending", "only a pending request can be cancelled (status "
                    + status.wire() + ")");
        }
        RightsRequest cancelled = lifecycle.cancel(tenantId, actor, mapped.request().id,
                "cancelled by the controller through OpenDSR");
        return new Mapped(mapped.openDsr(), cancelled);
    }

    public Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    private static String vouchedBy(String actor) {
        String name = VOUCHED_BY + actor;
        return name.length() <= 200 ? name : name.substring(0, 200);
    }
}
