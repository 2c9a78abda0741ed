package io.privacyplatform.request;

import io.privacyplatform.support.mapping.WireValue;

/** How an audit entry in the database differs from what an anchor published about it. */
public enum AuditMismatch implements WireValue {
    /** The entry, recomputed from its content and its predecessors, hashes to something else. */
    REWRITTEN,
    /** The entry (or its request) is no longer in the database. */
    MISSING
}
