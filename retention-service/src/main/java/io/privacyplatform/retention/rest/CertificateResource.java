package io.privacyplatform.retention.rest;

import java.util.List;
import java.util.Map;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.privacyplatform.retention.service.CertificateSigner;
import io.privacyplatform.retention.service.DeletionCertificates;
import io.privacyplatform.support.auth.Caller;
import io.privacyplatform.support.auth.Roles;
import io.privacyplatform.support.security.PublishedKey;
import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

@Path("/v1")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Certificates", description = "Signed deletion certificates of completed erasures")
public class CertificateResource {

    @Inject
    Caller caller;

    @Inject
    DeletionCertificates certificates;

    @Inject
    CertificateSigner signer;

    /** Every key that verifies certificates: a certificate's {@code keyId} picks one. */
    public record CertificateKeys(String canonicalForm, List<PublishedKey> keys) {
    }

    @GET
    @Path("/requests/{requestId}/certificate")
    @RolesAllowed({ Roles.APP, Roles.OPERATOR, Roles.ADMIN })
    @Operation(summary = "The deletion certificate of a completed erasure; 404 before completion")
    public Map<String, Object> certificate(@PathParam("requestId") String requestId) {
        return certificates.find(caller.tenantId(), requestId);
    }

    @GET
    @Path("/certificates/keys")
    @PermitAll
    @Operation(summary = "The Ed25519 public keys (base64 X.509 SubjectPublicKeyInfo) that verify certificates",
            description = "The current key and every retired one, by keyId: a certificate names the key that signed"
                    + " it in its signed body (keyId), so certificates signed before a rotation still verify.")
    public CertificateKeys keys() {
        return new CertificateKeys("UTF-8 JSON of the certificate without 'signature': object keys sorted at every"
                + " level, no whitespace, absent values left out", signer.publishedKeys());
    }
}
