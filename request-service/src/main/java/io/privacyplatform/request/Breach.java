package io.privacyplatform.request;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import io.privacyplatform.request.mapping.WireConverters;

/**
 * A personal-data breach in a tenant's breach register (Art. 33(5) GDPR): the facts, the effects and the remedial
 * action, the notification of the supervisory authority (due 72 hours after detection, Art. 33(1)) and of the
 * subjects (Art. 34). It names no data subject: the subjects told are only counted.
 */
@Entity
@Table(name = "breach")
public class Breach extends AuditChained {

    /** Art. 33(1): the authority is to be notified within 72 hours of becoming aware of the breach. */
    public static final Duration NOTIFY_AUTHORITY_WITHIN = java.time.Duration.ofHours(72);

    @Id
    public UUID id;

    @Column(name = "tenant_id")
    public String tenantId;

    @Convert(converter = WireConverters.BreachStatusColumn.class)
    public BreachStatus status;

    /** The nature of the breach (Art. 33(3)(a)). */
    public String description;

    /** When the controller became aware of the breach: the 72 hours count from here. */
    @Column(name = "detected_at")
    public Instant detectedAt;

    /** detectedAt + 72 h. */
    @Column(name = "authority_due_at")
    public Instant authorityDueAt;

    /** The categories of personal data concerned. */
    @JdbcTypeCode(SqlTypes.ARRAY)
    public List<String> categories;

    @Column(name = "approximate_subjects")
    public long approximateSubjects;

    /** The systems the breach concerns. */
    @JdbcTypeCode(SqlTypes.ARRAY)
    public List<String> systems;

    @Column(name = "likely_consequences")
    public String likelyConsequences;

    /** Measures taken or proposed to address the breach and mitigate its effects. */
    public String measures;

    @Column(name = "recorded_at")
    public Instant recordedAt;

    @Column(name = "recorded_by")
    public String recordedBy;

    @Column(name = "updated_at")
    public Instant updatedAt;

    /** When the supervisory authority was notified: stops the clock. */
    @Column(name = "notified_authority_at")
    public Instant notifiedAuthorityAt;

    /** The authority's case number, when it gave one. */
    @Column(name = "authority_reference")
    public String authorityReference;

    /** Why the notification came after the 72 hours (Art. 33(1) asks for the reasons of a delay). */
    @Column(name = "delay_reason")
    public String delayReason;

    @Column(name = "subjects_notified")
    public long subjectsNotified;

    @Column(name = "subjects_notified_at")
    public Instant subjectsNotifiedAt;

    @Column(name = "closed_at")
    public Instant closedAt;

    /** Why the breach was closed; required when the authority was not notified (why none was needed). */
    @Column(name = "close_reason")
    public String closeReason;

    /** The deadline alerts already sent (set in the transaction that writes the alert to the outbox). */
    @Column(name = "alert_due_soon_at")
    public Instant alertDueSoonAt;

    @Column(name = "alert_overdue_at")
    public Instant alertOverdueAt;

    @Version
    public long version;

    /** Whether the 72-hour clock still runs: neither notified nor closed. */
    public boolean clockRunning() {
        return notifiedAuthorityAt == null && status != BreachStatus.CLOSED;
    }

    @Override
    public UUID auditChainId() {
        return id;
    }
}
