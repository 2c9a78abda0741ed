package io.privacyplatform.consent;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.privacyplatform.consent.mapping.WireColumns;

/**
 * One decision in the append-only consent ledger. {@code id} is the database's sequence: it orders records of one
 * subject that occurred at the same instant and is the order of their events. {@code consentId} is the public id.
 */
@Entity
@Table(name = "consent_record")
public class ConsentRecord {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "consent_id")
    public UUID consentId;

    @Column(name = "tenant_id")
    public String tenantId;

    @Column(name = "subject_id")
    public String subjectId;

    @Column(name = "purpose_id")
    public String purposeId;

    /** The purpose's category when the decision was recorded. */
    @Convert(converter = WireColumns.PurposeCategoryColumn.class)
    public PurposeCategory category;

    @Convert(converter = WireColumns.DecisionColumn.class)
    public Decision decision;

    @Column(name = "lawful_basis")
    @Convert(converter = WireColumns.LawfulBasisColumn.class)
    public LawfulBasis lawfulBasis;

    @Column(name = "policy_version")
    public String policyVersion;

    @Convert(converter = WireColumns.ChannelColumn.class)
    public Channel channel;

    /** The request carried Global Privacy Control ({@code Sec-GPC: 1}). */
    public boolean gpc;

    // Evidence: stored as proof, never logged, returned only in an export to the subject, deleted on erasure.
    @Column(name = "evidence_ip")
    public String evidenceIp;

    @Column(name = "evidence_user_agent")
    public String evidenceUserAgent;

    @Column(name = "evidence_text")
    public String evidenceText;

    /** When the person decided. */
    @Column(name = "occurred_at")
    public Instant occurredAt;

    /** When this service stored it. */
    @Column(name = "recorded_at")
    public Instant recordedAt;

    /** The rights request that caused it (objections). */
    @Column(name = "request_id")
    public String requestId;

    @Column(name = "event_id")
    public UUID eventId;
}
