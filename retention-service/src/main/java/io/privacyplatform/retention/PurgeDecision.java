package io.privacyplatform.retention;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * A platform admin's recorded decision that a retention policy may PURGE every account, bound to the exact
 * definition approved ({@link #definition}, canonical JSON, and its SHA-256 {@link #definitionDigest}). A policy
 * run sends its PURGE commands only while a decision is in force for the policy's current definition; changing the
 * policy voids it.
 */
@Entity
@Table(name = "purge_decision")
public class PurgeDecision {

    @Id
    public UUID id;

    @Column(name = "policy_id")
    public String policyId;

    /** The deciding platform admin (the token's name). */
    @Column(name = "decided_by")
    public String decidedBy;

    @Column(name = "decided_at")
    public Instant decidedAt;

    public String reason;

    public String definition;

    @Column(name = "definition_digest")
    public String definitionDigest;

    @Column(name = "voided_at")
    public Instant voidedAt;

    @Column(name = "voided_reason")
    public String voidedReason;
}
