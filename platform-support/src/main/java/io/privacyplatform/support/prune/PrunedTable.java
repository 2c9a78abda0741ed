package io.privacyplatform.support.prune;

/**
 * The platform tables that grow with traffic, each with the timestamp its retention runs from. A row whose
 * timestamp is null (a pending outbox row has no {@code sent_at}) is never older than a cut-off, so never pruned.
 */
public enum PrunedTable {

    /** Processed event ids, from when they were processed. */
    INBOX_EVENT("inbox_event", "processed_at"),
    /** Idempotency keys and their kept responses, from when the key was claimed. */
    IDEMPOTENCY_KEY("idempotency_key", "created_at"),
    /** Outbox rows, from when they were sent. */
    OUTBOX_EVENT("outbox_event", "sent_at"),
    /** A store's remembered acks, from when they were (last) remembered. */
    STORE_COMMAND_OUTCOME("store_command_outcome", "remembered_at");

    final String table;
    final String stampedAt;

    PrunedTable(String table, String stampedAt) {
        this.table = table;
        this.stampedAt = stampedAt;
    }

    /** Deletes up to a limit of rows stamped before a cut-off (parameters 1 and 2); ctid needs no key columns. */
    String deleteBatch() {
        return "DELETE FROM " + table + " WHERE ctid = ANY (ARRAY(SELECT ctid FROM " + table + " WHERE " + stampedAt
                + " < ? LIMIT ?))";
    }
}
