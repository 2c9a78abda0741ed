package io.privacyplatform.request.rest;

import java.time.Instant;
import java.util.List;

import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.privacyplatform.request.AuditAnchorRecord;
import io.privacyplatform.request.repository.AuditAnchorRepository;
import io.privacyplatform.request.service.AuditAnchorVerification;
import io.privacyplatform.request.service.AuditSigningKeys;
import io.privacyplatform.support.auth.Caller;
import io.privacyplatform.support.auth.Roles;
import io.privacyplatform.support.error.ApiException;
import io.privacyplatform.support.rest.PageCursor;
import io.privacyplatform.support.security.PublishedKey;

@Path("/v1/audit")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Audit anchors", description = "Signed anchors of the audit chains, published outside the database")
public class AuditResource {

    @Inject
    Caller caller;

    @Inject
    AuditSigningKeys keys;

    @Inject
    AuditAnchorRepository anchors;

    @Inject
    AuditAnchorVerification verification;

    public record AuditKeys(String signedForm, List<PublishedKey> keys) {
    }

    /** An anchor as published, without its entries (they name requests): enough to check its signature. */
    public record AnchorView(long anchor, Instant issuedAt, String keyId, String previous, int entries,
            String entriesDigest, String signature) {
    }

    public record AnchorPage(List<AnchorView> anchors, Long nextBefore) {
    }

    @GET
    @Path("/keys")
    @PermitAll
    @Operation(summary = "The Ed25519 public keys (base64 X.509 SubjectPublicKeyInfo) that verify audit anchors",
            description = "The current key and every retired one, by keyId.")
    public AuditKeys keys() {
        return new AuditKeys("{\"anchor\":n,\"entries\":count,\"entriesDigest\":\"…\",\"issuedAt\":\"…Z\","
                + "\"keyId\":\"…\",\"previous\":\"…\"} in UTF-8, no whitespace", keys.published());
    }

    @GET
    @Path("/anchors")
    @PermitAll
    @Operation(summary = "The signed audit anchors, newest first",
            description = "Each anchor signs the hashes of the audit entries appended since the one before it"
                    + " (entriesDigest) and the digest of that one (previous). Page on with before=nextBefore.")
    public AnchorPage anchors(@QueryParam("limit") Integer limit, @QueryParam("before") Long before) {
        int size = PageCursor.limit(limit);
        if (before != null && before < 1) {
            throw ApiException.validation("before", "must be an anchor number, at least 1");
        }
        List<AnchorView> page = anchors.page(before, size).stream().map(AuditResource::view).toList();
        Long next = page.size() == size && page.get(page.size() - 1).anchor() > 1
                ? page.get(page.size() - 1).anchor() : null;
        return new AnchorPage(page, next);
    }

    @GET
    @Path("/verify")
    @RolesAllowed({ Roles.ADMIN, Roles.OPERATOR })
    @Operation(summary = "Recompute every anchored audit chain and compare it with the anchors on Kafka",
            description = "Platform admins and operators only. valid is true when every anchor read back from"
                    + " privacy.audit-anchor.v1 is soundly signed and numbered and every anchored entry still hashes"
                    + " to what was published; mismatches name the request and the first seq that differs.")
    public AuditAnchorVerification.Report verify() {
        if (!caller.isPlatform()) {
            throw ApiException.forbidden("platform_only", "only the platform's admins and operators verify the"
                    + " audit anchors of every tenant");
        }
        return verification.verify();
    }

    private static AnchorView view(AuditAnchorRecord record) {
        return new AnchorView(record.anchor, record.issuedAt, record.keyId, record.previous, record.entries,
                record.entriesDigest, record.signature);
    }
}
