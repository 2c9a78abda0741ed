package io.privacyplatform.consent.rest;

import java.time.Instant;
import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.privacyplatform.consent.ConsentRecord;
import io.privacyplatform.consent.mapping.ConsentView;
import io.privacyplatform.consent.service.ConsentLedger;
import io.privacyplatform.support.auth.Caller;
import io.privacyplatform.support.auth.Roles;
import io.privacyplatform.support.error.ApiException;
import io.privacyplatform.support.time.AcceptedInstants;
import io.privacyplatform.support.rest.Page;
import io.privacyplatform.support.rest.PageCursor;

@Path("/v1/subjects/{subjectId}/consents")
@Tag(name = "Subjects", description = "A subject's consent state and history (roles app, operator)")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({ Roles.APP, Roles.OPERATOR })
public class SubjectConsentResource {

    @Inject
    ConsentLedger ledger;

    @Inject
    Caller caller;

    /**
     * {@code decision} is what was recorded; {@code effectiveDecision} what processing may rely on: the same, except
     * {@code withheld} for a grant while the subject is restricted.
     */
    public record PurposeStateView(String purpose, String category, String decision, String effectiveDecision,
            String lawfulBasis, String policyVersion, Instant occurredAt, Instant recordedAt, String consentId,
            boolean reconsentRequired) {
    }

    public record StateView(String subjectId, Instant asOf, boolean restricted, List<PurposeStateView> purposes) {
    }

    @GET
    @Operation(summary = "The decision per purpose at an instant",
            description = "asOf (ISO-8601 instant, default now) is compared with occurredAt, when the person"
                    + " decided: the latest decision per purpose that occurred at or before asOf. While the subject"
                    + " is under a restriction of processing (restricted: true), every grant's effectiveDecision is"
                    + " withheld; decision stays what was recorded.")
    @APIResponse(responseCode = "200", description = "the state")
    @APIResponse(responseCode = "404", description = "no decision of this subject in the caller's tenant")
    public StateView state(@PathParam("subjectId") String subjectId,
            @Parameter(description = "ISO-8601 instant, e.g. 2025-05-01T10:15:30Z") @QueryParam("asOf") String asOf) {
        checkSubject(subjectId);
        Instant at = AcceptedInstants.query("asOf", asOf);
        ConsentLedger.State state = ledger.state(caller.tenantId(), subjectId, at)
                .orElseThrow(() -> ApiException.notFound("subject"));
        return new StateView(subjectId, state.asOf(), state.restricted(), state.purposes().stream().map(p -> {
            ConsentRecord r = p.record();
            return new PurposeStateView(r.purposeId, r.category.wire(), r.decision.wire(), p.effective().wire(),
                    r.lawfulBasis.wire(), r.policyVersion,
                    r.occurredAt, r.recordedAt, r.consentId.toString(), p.reconsentRequired());
        }).toList());
    }

    @GET
    @Path("/history")
    @Transactional
    @Operation(summary = "Every decision of the subject, newest first (by occurredAt, then recording order)")
    @APIResponse(responseCode = "200", description = "one page; nextCursor is absent on the last")
    @APIResponse(responseCode = "404", description = "no decision of this subject in the caller's tenant")
    public Page<ConsentView> history(@PathParam("subjectId") String subjectId,
            @QueryParam("purpose") String purpose, @QueryParam("limit") Integer limit,
            @QueryParam("cursor") String cursor) {
        checkSubject(subjectId);
        int size = PageCursor.limit(limit);
        PageCursor after = PageCursor.decode(cursor);
        Long afterId = null;
        if (after != null) {
            try {
                afterId = Long.parseLong(after.id());
            } catch (NumberFormatException e) {
                throw ApiException.validation("cursor", "is not a cursor returned by this API");
            }
        }
        String tenant = caller.tenantId();
        List<ConsentRecord> rows = ledger.history(tenant, subjectId, purpose, after == null ? null : after.at(),
                afterId, size).orElseThrow(() -> ApiException.notFound("subject"));
        String next = null;
        if (rows.size() > size) {
            rows = rows.subList(0, size);
            ConsentRecord last = rows.get(size - 1);
            next = new PageCursor(last.occurredAt, last.id.toString()).encode();
        }
        return new Page<>(ConsentView.of(rows), next);
    }

    private static void checkSubject(String subjectId) {
        if (subjectId.length() > 200) {
            throw ApiException.validation("subjectId", "must be at most 200 characters");
        }
    }
}
