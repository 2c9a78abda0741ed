package io.privacyplatform.retention;

import java.time.Instant;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;

import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * A downstream system on the data map: where it runs, which categories it holds, which commands it takes, and which
 * identifiers it finds a subject by.
 */
@Entity
@Table(name = "data_system")
public class DataSystem {

    public static final String EEA = "EEA";

    @Id
    public String id;

    public String description;

    public String owner;

    public String region;

    @JdbcTypeCode(SqlTypes.ARRAY)
    public String[] categories;

    @JdbcTypeCode(SqlTypes.ARRAY)
    public String[] capabilities;

    /** The identifiers the system finds a subject's data by ({@code subjectId}, {@code email}). */
    @JdbcTypeCode(SqlTypes.ARRAY)
    public String[] identifiers;

    @Column(name = "ack_timeout_seconds")
    public long ackTimeoutSeconds;

    @Column(name = "transfer_safeguard")
    public String transferSafeguard;

    /** The name of the store token that registered the system; null while only admins have put it. */
    public String principal;

    /** Base64 X.509 Ed25519 public key the store signs its acks with; acks that do not verify are rejected. */
    @Column(name = "ack_public_key")
    public String ackPublicKey;

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "updated_at")
    public Instant updatedAt;

    @Column(name = "updated_by")
    public String updatedBy;

    public boolean can(String capability) {
        for (String c : capabilities) {
            if (c.equals(capability)) {
                return true;
            }
        }
        return false;
    }

    /** The identifiers this system needs that are not among {@code present}, in the system's order. */
    public List<String> missing(Collection<String> present) {
        return Arrays.stream(identifiers).filter(i -> !present.contains(i)).toList();
    }

    public boolean inEea() {
        return EEA.equals(region);
    }
}
