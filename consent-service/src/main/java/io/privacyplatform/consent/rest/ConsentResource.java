package io.privacyplatform.consent.rest;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.privacyplatform.consent.TcfConsent;
import io.privacyplatform.consent.config.ConsentConfig;
import io.privacyplatform.consent.mapping.ConsentReceipt;
import io.privacyplatform.consent.mapping.ConsentView;
import io.privacyplatform.consent.mapping.PropagationView;
import io.privacyplatform.consent.service.ConsentGroupCommit;
import io.privacyplatform.consent.service.ConsentInput;
import io.privacyplatform.consent.service.ConsentLedger;
import io.privacyplatform.consent.service.ConsentPropagation;
import io.privacyplatform.consent.service.ConsentReceipts;
import io.privacyplatform.consent.service.TcfConsents;
import io.privacyplatform.support.auth.Caller;
import io.privacyplatform.support.auth.Roles;
import io.privacyplatform.support.error.ApiException;
import io.privacyplatform.support.idempotency.IdempotentRequests;

@Path("/v1/consents")
@Tag(name = "Consents", description = "Recording consent decisions (role app) and their receipts")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class ConsentResource {

    /** Global Privacy Control: a browser's "do not sell or share" signal. */
    public static final String GPC_HEADER = "Sec-GPC";

    @Inject
    ConsentLedger ledger;

    @Inject
    ConsentReceipts receipts;

    @Inject
    ConsentPropagation propagation;

    @Inject
    TcfConsents tcf;

    @Inject
    IdempotentRequests idempotent;

    @Inject
    Caller caller;

    @Inject
    ConsentGroupCommit groupCommit;

    @Inject
    ConsentConfig config;

    /** The answer to one recorded decision; {@code gpcWithdrawals} lists what Global Privacy Control withdrew. */
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record Recorded(String consentId, String subjectId, String purpose, String category, String decision,
            String lawfulBasis, String policyVersion, String channel, boolean gpc, Instant occurredAt,
            Instant recordedAt, String receiptUrl, List<ConsentView> gpcWithdrawals) {

        static Recorded of(ConsentView view, List<ConsentView> gpcWithdrawals) {
            return new Recorded(view.consentId(), view.subjectId(), view.purpose(), view.category(), view.decision(),
                    view.lawfulBasis(), view.policyVersion(), view.channel(), view.gpc(), view.occurredAt(),
                    view.recordedAt(), view.receiptUrl(), gpcWithdrawals);
        }
    }

    public record Batch(@Schema(required = true, maxItems = ConsentLedger.MAX_BATCH) List<ConsentInput> records) {
    }

    public record BatchRecorded(List<ConsentView> records, List<ConsentView> gpcWithdrawals) {
    }

    public record TcfInput(@Schema(required = true, maxLength = 200) String subjectId,
            @Schema(required = true, description = "IAB TCF v2 consent string") String tcString) {
    }

    public record TcfView(String tcfConsentId, String subjectId, int cmpId, int cmpVersion, int vendorListVersion,
            int tcfPolicyVersion, Instant tcCreatedAt, List<Integer> purposeConsents,
            List<Integer> purposeLegitimateInterests, List<Integer> specialFeatureOptIns,
            List<Integer> vendorConsents, Instant recordedAt) {

        static TcfView of(TcfConsent consent) {
            return new TcfView(consent.id.toString(), consent.subjectId, consent.cmpId, consent.cmpVersion,
                    consent.vendorListVersion, consent.tcfPolicyVersion, consent.tcCreatedAt,
                    TcfConsents.parse(consent.purposeConsents), TcfConsents.parse(consent.purposeLegitimateInterests),
                    TcfConsents.parse(consent.specialFeatureOptIns), TcfConsents.parse(consent.vendorConsents),
                    consent.recordedAt);
        }
    }

    @POST
    @RolesAllowed(Roles.APP)
    @Operation(summary = "Record one consent decision",
            description = "Appends to the ledger and publishes ConsentChanged. With Sec-GPC: 1, every advertising"
                    + " purpose the subject has granted is withdrawn (gpc: true), and a grant for an advertising"
                    + " purpose is refused (409 gpc_conflict). While the subject is restricted, grants for"
                    + " non-service purposes are refused (409 subject_restricted).")
    @APIResponse(responseCode = "201", description = "recorded")
    @APIResponse(responseCode = "400", description = "invalid field")
    @APIResponse(responseCode = "409", description = "gpc_conflict, subject_restricted or Idempotency-Key reuse")
    @APIResponse(responseCode = "422", description = "unknown_purpose or unknown_policy_version")
    public Response record(ConsentInput body,
            @Parameter(description = "replays the first answer for the same key and body")
            @HeaderParam(IdempotentRequests.HEADER) String key,
            @Parameter(description = "Global Privacy Control; 1 = opt out of advertising")
            @HeaderParam(GPC_HEADER) String gpc) {
        if (body == null) {
            throw ApiException.validation("$", "a body is required");
        }
        String tenant = caller.tenantId();
        boolean withGpc = gpc(gpc);
        if (!config.groupCommit().enabled()) {
            return idempotent.run(tenant, "POST /v1/consents", key, body,
                    () -> recorded(ledger.record(tenant, List.of(body), false, withGpc)));
        }
        // Shares a transaction and its commit with concurrent decisions; answered once that commit returned.
        return groupCommit.submit(tenant, body.subjectId(),
                () -> idempotent.runInCallersTransaction(tenant, "POST /v1/consents", key, body,
                        () -> recorded(ledger.recordHoldingLock(tenant, body, withGpc))));
    }

    private static IdempotentRequests.Result recorded(ConsentLedger.Outcome outcome) {
        return new IdempotentRequests.Result(201, Recorded.of(ConsentView.of(outcome.records().get(0)),
                ConsentView.of(outcome.gpcWithdrawals())));
    }

    @POST
    @Path("/batch")
    @RolesAllowed(Roles.APP)
    @Operation(summary = "Record up to 1,000 decisions, all or nothing",
            description = "An invalid item rejects the whole batch; its problems carry the item's index and a field"
                    + " path such as records[3].purpose.")
    @APIResponse(responseCode = "201", description = "all recorded")
    public Response batch(Batch body, @HeaderParam(IdempotentRequests.HEADER) String key,
            @HeaderParam(GPC_HEADER) String gpc) {
        if (body == null || body.records() == null || body.records().isEmpty()) {
            throw ApiException.validation("records", "must hold at least one record");
        }
        if (body.records().size() > ConsentLedger.MAX_BATCH) {
            throw ApiException.validation("records", "must hold at most " + ConsentLedger.MAX_BATCH + " records");
        }
        String tenant = caller.tenantId();
        return idempotent.run(tenant, "POST /v1/consents/batch", key, body, () -> {
            ConsentLedger.Outcome outcome = ledger.record(tenant, body.records(), true, gpc(gpc));
            return new IdempotentRequests.Result(201,
                    new BatchRecorded(ConsentView.of(outcome.records()), ConsentView.of(outcome.gpcWithdrawals())));
        });
    }

    @POST
    @Path("/tcf")
    @RolesAllowed(Roles.APP)
    @Operation(summary = "Store an IAB TCF v2 consent string with its decoded purpose and vendor consents")
    @APIResponse(responseCode = "201", description = "stored")
    @APIResponse(responseCode = "400", description = "not a valid TCF v2 string")
    public Response tcf(TcfInput body, @HeaderParam(IdempotentRequests.HEADER) String key) {
        if (body == null) {
            throw ApiException.validation("$", "a body is required");
        }
        if (body.subjectId() == null || body.subjectId().isBlank()) {
            throw ApiException.validation("subjectId", "must not be blank");
        }
        if (body.subjectId().length() > 200) {
            throw ApiException.validation("subjectId", "must be at most 200 characters");
        }
        String tenant = caller.tenantId();
        return idempotent.run(tenant, "POST /v1/consents/tcf", key, body,
                () -> new IdempotentRequests.Result(201,
                        TcfView.of(tcf.record(tenant, body.subjectId(), body.tcString()))));
    }

    @GET
    @Path("/{consentId}/receipt")
    @RolesAllowed({ Roles.APP, Roles.OPERATOR })
    @Operation(summary = "Consent receipt (Kantara Consent Receipt v1.1 / ISO/IEC TS 27560 fields)")
    @APIResponse(responseCode = "200", description = "the receipt")
    @APIResponse(responseCode = "404", description = "no such consent for the caller's tenant")
    public ConsentReceipt receipt(@PathParam("consentId") String consentId) {
        return receipts.of(caller.tenantId(), idOf(consentId));
    }

    @GET
    @Path("/{consentId}/propagation")
    @RolesAllowed({ Roles.APP, Roles.OPERATOR, Roles.ADMIN })
    @Operation(summary = "Which consent subscribers applied the decision, and when",
            description = "Per registered consent subscriber: applied (with appliedAt, as it acknowledged), pending,"
                    + " or overdue (a withdrawal not applied by dueBy = recordedAt + the withdrawal deadline)."
                    + " Subscribers registered after the decision are not expected to apply it.")
    @APIResponse(responseCode = "200", description = "the decision's propagation")
    @APIResponse(responseCode = "404", description = "no such consent for the caller's tenant")
    public PropagationView propagation(@PathParam("consentId") String consentId) {
        return propagation.of(caller.tenantId(), idOf(consentId));
    }

    /** A consent id that is no UUID names no consent. */
    private static UUID idOf(String consentId) {
        try {
            return UUID.fromString(consentId);
        } catch (IllegalArgumentException e) {
            throw ApiException.notFound("consent");
        }
    }

    private static boolean gpc(String header) {
        return header != null && header.trim().equals("1");
    }
}
