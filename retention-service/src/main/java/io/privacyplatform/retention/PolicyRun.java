package io.privacyplatform.retention;

import java.time.Instant;
import java.util.UUID;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** One run of a retention policy: at most one per policy and schedule window. */
@Entity
@Table(name = "policy_run")
public class PolicyRun extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(name = "policy_id")
    public String policyId;

    @Column(name = "window_start")
    public Instant windowStart;

    public Instant cutoff;

    @Column(name = "per_record")
    public boolean perRecord;

    /** {@code in_progress}, {@code completed}, {@code stuck}. */
    public String state;

    /** {@code schedule} or {@code manual}. */
    public String trigger;

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "completed_at")
    public Instant completedAt;
}
