package io.privacyplatform.request;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** The kept copy of a published audit anchor (without its entries): what {@code GET /v1/audit/anchors} lists. */
@Entity
@Table(name = "audit_anchor")
public class AuditAnchorRecord {

    @Id
    public long anchor;

    @Column(name = "issued_at")
    public Instant issuedAt;

    @Column(name = "key_id")
    public String keyId;

    public String previous;

    @Column(name = "entries_digest")
    public String entriesDigest;

    public int entries;

    public String signature;

    /** SHA-256 of the signed form: the next anchor's {@code previous}. */
    public String digest;
}
