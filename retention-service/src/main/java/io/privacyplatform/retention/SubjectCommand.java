package io.privacyplatform.retention;

import java.time.Instant;
import java.util.UUID;

import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** One command to one system, with everything needed to re-send it and what the system answered. */
@Entity
@Table(name = "subject_command")
public class SubjectCommand extends PanacheEntityBase {

    /** Sent, waiting for the ack. */
    public static final String SENT = "sent";
    /** The system answered FAILED; re-sent at {@link #nextAttemptAt}. */
    public static final String RETRY = "retry";
    /** DONE or NOT_FOUND. */
    public static final String DONE = "done";
    /** Not carried out because data must be kept (a legal hold here, or the system's own reason). */
    public static final String HELD = "held";
    /** No usable answer after every attempt; an operator may redrive it, and a late ack still finishes it. */
    public static final String STUCK = "stuck";

    @Id
    @Column(name = "command_id")
    public String commandId;

    @Column(name = "request_id")
    public String requestId;

    @Column(name = "policy_run_id")
    public UUID policyRunId;

    @Column(name = "tenant_id")
    public String tenantId;

    @Column(name = "system_id")
    public String systemId;

    public String kind;

    @JdbcTypeCode(SqlTypes.ARRAY)
    public String[] categories;

    @JdbcTypeCode(SqlTypes.ARRAY)
    @Column(name = "held_categories")
    public String[] heldCategories;

    @Column(name = "record_key")
    public String recordKey;

    /** The PrivacyCommand as JSON; cleared once finished. */
    public String payload;

    public String state;

    public int attempts;

    @Column(name = "attempt_budget")
    public int attemptBudget;

    @Column(name = "next_attempt_at")
    public Instant nextAttemptAt;

    public String outcome;

    public long records;

    public String digest;

    public String detail;

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "updated_at")
    public Instant updatedAt;

    @Column(name = "completed_at")
    public Instant completedAt;

    /** Finished commands take no more acks: a repeated or late answer changes nothing. */
    public boolean finished() {
        return DONE.equals(state) || HELD.equals(state);
    }
}
