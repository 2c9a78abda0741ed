package io.privacyplatform.retention;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A signed deletion certificate: {@code body} is exactly the canonical JSON the signature covers. */
@Entity
@Table(name = "certificate")
public class Certificate {

    @Id
    @Column(name = "request_id")
    public String requestId;

    @Column(name = "tenant_id")
    public String tenantId;

    public String body;

    public String signature;

    @Column(name = "issued_at")
    public Instant issuedAt;
}
