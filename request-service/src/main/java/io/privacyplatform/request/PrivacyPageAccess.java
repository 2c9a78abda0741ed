package io.privacyplatform.request;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * A browser's access to one request submitted on the privacy page: the browser holds a random token (cookie), the
 * row only its SHA-256, so a copy of the table opens no request.
 */
@Entity
@Table(name = "privacy_page_access")
public class PrivacyPageAccess {

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
