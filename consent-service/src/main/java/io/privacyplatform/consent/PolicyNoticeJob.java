package io.privacyplatform.consent;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * Announcing one material policy version to every subject of its tenant, batch by batch after the PUT.
 * {@code lastSubject} is the keyset position: subjects go in id order, so each gets one notice.
 */
@Entity
@Table(name = "policy_notice_job")
public class PolicyNoticeJob {

    @Id
    @Column(name = "policy_version_id")
    public UUID policyVersionId;

    @Column(name = "tenant_id")
    public String tenantId;

    @Column(name = "last_subject")
    public String lastSubject;

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "completed_at")
    public Instant completedAt;
}
