package io.privacyplatform.retention;

import java.time.Instant;
import java.util.UUID;

import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** Defers the erasure of some categories of one subject (a dispute, a tax record) until released or expired. */
@Entity
@Table(name = "legal_hold")
public class LegalHold {

    @Id
    public UUID id;

    @Column(name = "tenant_id")
    public String tenantId;

    @Column(name = "subject_id")
    public String subjectId;

    @Column(name = "subject_pseudonym")
    public String subjectPseudonym;

    @JdbcTypeCode(SqlTypes.ARRAY)
    public String[] categories;

    public String reason;

    public Instant until;

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "created_by")
    public String createdBy;

    /** Set when an operator released the hold; the row stays, so the release is on record. */
    @Column(name = "released_at")
    public Instant releasedAt;

    @Column(name = "released_by")
    public String releasedBy;

    @Column(name = "release_reason")
    public String releaseReason;

    public boolean activeAt(Instant now) {
        return releasedAt == null && (until == null || until.isAfter(now));
    }

    /** When the hold stopped applying (released, or its {@code until} passed), or null while in force. */
    public Instant endedAt(Instant now) {
        if (releasedAt != null) {
            return releasedAt;
        }
        return until != null && !until.isAfter(now) ? until : null;
    }
}
