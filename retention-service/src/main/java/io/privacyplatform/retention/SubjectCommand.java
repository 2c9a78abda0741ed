package io.privacyplatform.retention;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import io.privacyplatform.events.payload.AckOutcome;
import io.privacyplatform.events.payload.CommandKind;
import io.privacyplatform.events.payload.Retained;
import io.privacyplatform.retention.mapping.RetainedColumn;
import io.privacyplatform.retention.mapping.WireConverters;
import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** One command to one system, with everything needed to re-send it and what the system answered. */
@Entity
@Table(name = "subject_command")
public class SubjectCommand {

    @Id
    @Column(name = "command_id")
    public String commandId;

    @Column(name = "request_id")
    public String requestId;

    @Column(name = "policy_run_id")
    public UUID policyRunId;

    /** Set on a deferred ERASE: the release of legal holds that issued it (its request is already completed). */
    @Column(name = "release_id")
    public UUID releaseId;

    @Column(name = "tenant_id")
    public String tenantId;

    @Column(name = "system_id")
    public String systemId;

    @Enumerated(EnumType.STRING)
    public CommandKind kind;

    @JdbcTypeCode(SqlTypes.ARRAY)
    public String[] categories;

    @JdbcTypeCode(SqlTypes.ARRAY)
    @Column(name = "held_categories")
    public String[] heldCategories;

    /** For a command waiting in {@code action_required}: the identifiers its system needs that the request lacks. */
    @JdbcTypeCode(SqlTypes.ARRAY)
    @Column(name = "missing_identifiers")
    public String[] missingIdentifiers;

    @Column(name = "record_key")
    public String recordKey;

    /** The PrivacyCommand as JSON; cleared once finished. */
    public String payload;

    @Convert(converter = WireConverters.CommandStateColumn.class)
    public CommandState state;

    public int attempts;

    @Column(name = "attempt_budget")
    public int attemptBudget;

    @Column(name = "next_attempt_at")
    public Instant nextAttemptAt;

    @Enumerated(EnumType.STRING)
    public AckOutcome outcome;

    public long records;

    public String digest;

    public String detail;

    /** What the store kept instead of erasing, as acked. */
    @Convert(converter = RetainedColumn.class)
    public List<Retained> retained;

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "updated_at")
    public Instant updatedAt;

    @Column(name = "completed_at")
    public Instant completedAt;

    /** Finished commands take no more acks: a repeated or late answer changes nothing. */
    public boolean finished() {
        return state.finished();
    }
}
