package io.privacyplatform.retention;

import java.time.Instant;

import io.privacyplatform.retention.mapping.WireConverters;
import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A verified rights request this service turned into commands; the subject appears only as its pseudonym. */
@Entity
@Table(name = "rights_request")
public class RightsRequest {

    public static final String ERASURE = "erasure";
    /** Its RESTRICT commands keep their subject until an operator lifts the restriction (LIFT_RESTRICTION needs it). */
    public static final String RESTRICTION = "restriction";

    @Id
    @Column(name = "request_id")
    public String requestId;

    @Column(name = "tenant_id")
    public String tenantId;

    public String type;

    @Column(name = "subject_pseudonym")
    public String subjectPseudonym;

    /** As last published. */
    @Convert(converter = WireConverters.ProgressStateColumn.class)
    public ProgressState state;

    @Column(name = "due_at")
    public Instant dueAt;

    /** The legal holds that deferred part of an erasure: JSON {@code [{category, reason}]}. */
    public String held;

    @Column(name = "verified_at")
    public Instant verifiedAt;

    @Column(name = "completed_at")
    public Instant completedAt;
}
