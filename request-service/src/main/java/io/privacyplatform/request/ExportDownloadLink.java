package io.privacyplatform.request;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A one-time link to a completed request's export, by the SHA-256 of its random token; used once, then spent. */
@Entity
@Table(name = "export_download_link")
public class ExportDownloadLink {

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

    @Column(name = "used_at")
    public Instant usedAt;
}
