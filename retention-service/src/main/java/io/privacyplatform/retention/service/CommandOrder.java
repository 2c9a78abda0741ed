package io.privacyplatform.retention.service;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.privacyplatform.events.payload.CommandKind;
import io.privacyplatform.events.payload.CommandSubject;
import io.privacyplatform.retention.DataSystem;

/**
 * What to tell one system, for a rights request ({@code requestId}) or a policy run ({@code policyRunId}).
 * {@code decisionId}: the platform admin's PURGE decision a policy run carries out (null for requests).
 */
public record CommandOrder(String requestId, UUID policyRunId, String tenantId, String recordKey, DataSystem system,
        CommandKind kind, List<String> categories, List<String> heldCategories, CommandSubject subject,
        Map<String, String> rectification, Instant cutoff, Instant deadline, String decisionId) {

    /** An order no platform-admin decision stands behind: every command of a rights request. */
    public CommandOrder(String requestId, UUID policyRunId, String tenantId, String recordKey, DataSystem system,
            CommandKind kind, List<String> categories, List<String> heldCategories, CommandSubject subject,
            Map<String, String> rectification, Instant cutoff, Instant deadline) {
        this(requestId, policyRunId, tenantId, recordKey, system, kind, categories, heldCategories, subject,
                rectification, cutoff, deadline, null);
    }
}
