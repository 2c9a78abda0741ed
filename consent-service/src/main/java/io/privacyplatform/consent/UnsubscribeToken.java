package io.privacyplatform.consent;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * A one-click unsubscribe link: the URL carries a random token, this row its SHA-256 and what it is about, so the
 * URL itself names no one. Deleted with the subject's other rows on erasure.
 */
@Entity
@Table(name = "unsubscribe_token")
public class UnsubscribeToken {

    /** SHA-256 of the token, hex. */
    @Id
    @Column(name = "token_hash")
    public String tokenHash;

    @Column(name = "tenant_id")
    public String tenantId;

    @Column(name = "subject_id")
    public String subjectId;

    @Column(name = "purpose_id")
    public String purposeId;

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "expires_at")
    public Instant expiresAt;
}
