package io.privacyplatform.retention;

import java.time.Instant;
import java.util.UUID;

import io.privacyplatform.retention.mapping.WireConverters;
import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** One run of a retention policy: at most one per policy and schedule window. */
@Entity
@Table(name = "policy_run")
public class PolicyRun {

    @Id
    public UUID id;

    @Column(name = "policy_id")
    public String policyId;

    @Column(name = "window_start")
    public Instant windowStart;

    public Instant cutoff;

    @Column(name = "per_record")
    public boolean perRecord;

    @Convert(converter = WireConverters.ProgressStateColumn.class)
    public ProgressState state;

    @Convert(converter = WireConverters.RunTriggerColumn.class)
    public RunTrigger trigger;

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "completed_at")
    public Instant completedAt;

    /** The platform admin's PURGE decision this run carried out; null for a run that sent nothing for want of one. */
    @Column(name = "decision_id")
    public UUID decisionId;

    /** Why the run sent nothing ({@code action_required}: no decision in force for the policy's definition). */
    public String detail;
}
