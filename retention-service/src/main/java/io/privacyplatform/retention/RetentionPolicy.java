package io.privacyplatform.retention;

import java.time.Instant;

import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** How long one category may be kept, and how often its systems are told to purge what is older. */
@Entity
@Table(name = "retention_policy")
public class RetentionPolicy {

    /** {@code retain} for data whose store keeps each record's own expiry (e.g. survey answers). */
    public static final String PER_RECORD = "per_record";

    @Id
    public String id;

    public String category;

    public String retain;

    public String basis;

    public String description;

    /** The systems the policy addresses; empty means every system holding {@link #category}. */
    @JdbcTypeCode(SqlTypes.ARRAY)
    public String[] systems;

    @Column(name = "schedule_seconds")
    public long scheduleSeconds;

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "updated_at")
    public Instant updatedAt;

    @Column(name = "updated_by")
    public String updatedBy;

    public boolean perRecord() {
        return PER_RECORD.equals(retain);
    }
}
