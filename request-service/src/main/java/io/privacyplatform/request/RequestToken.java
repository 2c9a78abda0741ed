package io.privacyplatform.request;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Id;
import jakarta.persistence.MappedSuperclass;

/**
 * A random token a data subject holds for one request, stored only as its SHA-256 (a copy of the table opens
 * nothing), scoped to the request's tenant and valid until {@code expiresAt}.
 */
@MappedSuperclass
public abstract class RequestToken {

    @Id
    @Column(name = "token_hash")
    public String tokenHash;

    @Column(name = "tenant_id")
    public String tenantId;

    @Column(name = "request_id")
    public UUID requestId;

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "expires_at")
    public Instant expiresAt;
}
