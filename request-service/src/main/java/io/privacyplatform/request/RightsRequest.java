package io.privacyplatform.request;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Convert;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

import io.privacyplatform.request.mapping.WireConverters;

/** One data subject's rights request, in the queue of one tenant. */
@Entity
@Table(name = "rights_request")
public class RightsRequest extends AuditChained {

    @Id
    public UUID id;

    @Column(name = "tenant_id")
    public String tenantId;

    @Convert(converter = WireConverters.TypeColumn.class)
    public RequestType type;

    @Convert(converter = WireConverters.StatusColumn.class)
    public RequestStatus status;

    @Column(name = "subject_id")
    public String subjectId;

    @Column(name = "contact_email")
    public String contactEmail;

    public String regulation;

    public String details;

    /** The {field: newValue} pairs as a JSON object. */
    public String rectification;

    @Column(name = "verified_by")
    public String verifiedBy;

    @Column(name = "verified_at")
    public Instant verifiedAt;

    @Column(name = "received_at")
    public Instant receivedAt;

    @Column(name = "due_at")
    public Instant dueAt;

    @Column(name = "extended_due_at")
    public Instant extendedDueAt;

    @Column(name = "extension_reason")
    public String extensionReason;

    @Column(name = "effective_due_at")
    public Instant effectiveDueAt;

    @Column(name = "outcome_reason")
    public String outcomeReason;

    /** Why the request waits for an operator (status action_required). */
    @Column(name = "action_reason")
    public String actionReason;

    /** The outcome an operator recorded when resolving an action_required request. */
    @Column(name = "resolution")
    public String resolution;

    /** When an operator lifted the restriction this request put in place (restriction requests, once). */
    @Column(name = "restriction_lifted_at")
    public Instant restrictionLiftedAt;

    @Column(name = "closed_at")
    public Instant closedAt;

    @Column(name = "controller_tenant_id")
    public String controllerTenantId;

    @Column(name = "redirected_to_id")
    public UUID redirectedToId;

    @Column(name = "origin_tenant_id")
    public String originTenantId;

    @Column(name = "origin_request_id")
    public UUID originRequestId;

    @Column(name = "verification_hash")
    public String verificationHash;

    @Column(name = "verification_attempts")
    public int verificationAttempts;

    @Column(name = "verification_expires_at")
    public Instant verificationExpiresAt;

    @Column(name = "progress_state")
    public String progressState;

    /** The systems of the last RequestProgress, as a JSON array. */
    @Column(name = "progress_systems")
    public String progressSystems;

    @Column(name = "progress_at")
    public Instant progressAt;

    @Column(name = "alert_due_soon_at")
    public Instant alertDueSoonAt;

    @Column(name = "alert_overdue_at")
    public Instant alertOverdueAt;

    /** The first successful GET of the export; its copies are deleted a configured time after it. */
    @Column(name = "export_delivered_at")
    public Instant exportDeliveredAt;

    @Column(name = "export_deleted_at")
    public Instant exportDeletedAt;

    /** When the closed request's subject id, address, details and rectification values were removed. */
    @Column(name = "identifiers_removed_at")
    public Instant identifiersRemovedAt;

    @Version
    public long version;

    @Override
    public UUID auditChainId() {
        return id;
    }

    /** The due date that counts: the extended one once extended. */
    public Instant effectiveDueAt() {
        return extendedDueAt != null ? extendedDueAt : dueAt;
    }
}
