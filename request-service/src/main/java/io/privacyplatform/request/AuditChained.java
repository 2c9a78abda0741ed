package io.privacyplatform.request;

import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.MappedSuperclass;

/**
 * A record with an audit chain of its own in {@code request_audit}: rights requests and breaches. The record keeps
 * the chain's head (last seq and hash), so that deleting the newest entries is detected too.
 */
@MappedSuperclass
public abstract class AuditChained {

    @Column(name = "audit_seq")
    public int auditSeq;

    /** The hash of the last entry; null before the first. */
    @Column(name = "audit_head")
    public String auditHead;

    /** The id the chain's entries carry: the record's own. */
    public abstract UUID auditChainId();

    /** Moves the head to the entry just appended. */
    public void auditAppended(int seq, String hash) {
        auditSeq = seq;
        auditHead = hash;
    }
}
