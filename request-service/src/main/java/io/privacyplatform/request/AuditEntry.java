package io.privacyplatform.request;

import java.io.Serializable;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;


/** One link of a request's append-only audit chain. */
@Entity
@Table(name = "request_audit")
@IdClass(AuditEntry.Key.class)
public class AuditEntry {

    @Id
    @Column(name = "request_id")
    public UUID requestId;

    @Id
    public int seq;

    public Instant at;

    public String actor;

    public String action;

    public String detail;

    @Column(name = "prev_hash")
    public String prevHash;

    public String hash;

    public static class Key implements Serializable {
        public UUID requestId;
        public int seq;

        @Override
        public boolean equals(Object other) {
            return other instanceof Key key && seq == key.seq && Objects.equals(requestId, key.requestId);
        }

        @Override
        public int hashCode() {
            return Objects.hash(requestId, seq);
        }
    }
}
