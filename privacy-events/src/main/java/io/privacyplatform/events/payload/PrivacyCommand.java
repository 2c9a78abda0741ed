package io.privacyplatform.events.payload;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonProperty;

import io.privacyplatform.events.Require;
import io.privacyplatform.events.TenantScoped;

/**
 * A command to one downstream store, on {@code privacy.command.v1}. A store acts only on commands whose
 * {@code targetSystem} is its own name, and must treat a repeated {@code commandId} as already done.
 * {@code decisionId} names the platform admin's recorded decision that a {@code PURGE} of every account (tenant
 * {@value #EVERY_ACCOUNT}) carries out; stores refuse such a PURGE without one (absent for every other command).
 */
public record PrivacyCommand(String commandId, CommandKind kind, String tenantId, String targetSystem,
        String requestId, CommandSubject subject, List<String> categories, Instant cutoff,
        Map<String, String> rectification, Instant issuedAt, Instant deadline, @JsonProperty(required = true) int attempt,
        String decisionId) implements TenantScoped {

    /** The tenant of platform-wide commands: a PURGE for it deletes by age in every account. */
    public static final String EVERY_ACCOUNT = "platform";

    public PrivacyCommand {
        Require.text(commandId, "commandId");
        Require.present(kind, "kind");
        Require.text(tenantId, "tenantId");
        Require.text(targetSystem, "targetSystem");
        Require.present(issuedAt, "issuedAt");
        if (kind == CommandKind.PURGE) {
            Require.present(cutoff, "cutoff");
        } else {
            Require.present(subject, "subject");
        }
        if (kind == CommandKind.RECTIFY) {
            Require.present(rectification, "rectification");
        }
        categories = categories == null ? List.of() : List.copyOf(categories);
        rectification = rectification == null ? Map.of() : Map.copyOf(rectification);
        if (decisionId != null) {
            Require.text(decisionId, "decisionId");
        }
    }

    /** A command that no platform-admin decision stands behind (every kind but a PURGE of every account). */
    public PrivacyCommand(String commandId, CommandKind kind, String tenantId, String targetSystem, String requestId,
            CommandSubject subject, List<String> categories, Instant cutoff, Map<String, String> rectification,
            Instant issuedAt, Instant deadline, int attempt) {
        this(commandId, kind, tenantId, targetSystem, requestId, subject, categories, cutoff, rectification,
                issuedAt, deadline, attempt, null);
    }

    /** A new command: a fresh id, first attempt. */
    public static PrivacyCommand of(CommandKind kind, String tenantId, String targetSystem, String requestId,
            CommandSubject subject, List<String> categories, Instant cutoff, Map<String, String> rectification,
            Instant issuedAt, Instant deadline) {
        return new PrivacyCommand(UUID.randomUUID().toString(), kind, tenantId, targetSystem, requestId, subject,
                categories, cutoff, rectification, issuedAt, deadline, 1, null);
    }

    /** This command carrying out the recorded platform-admin decision {@code decisionId}. */
    public PrivacyCommand withDecision(String decisionId) {
        return new PrivacyCommand(commandId, kind, tenantId, targetSystem, requestId, subject, categories, cutoff,
                rectification, issuedAt, deadline, attempt, decisionId);
    }

    /** A PURGE of every account: it deletes by age across all tenants, so it needs a platform-admin decision. */
    public boolean purgesEveryAccount() {
        return kind == CommandKind.PURGE && EVERY_ACCOUNT.equals(tenantId);
    }

    /** The same command (same id: stores are idempotent by it) as the issuer's re-send number {@code attempt}. */
    public PrivacyCommand withAttempt(int attempt) {
        return new PrivacyCommand(commandId, kind, tenantId, targetSystem, requestId, subject, categories, cutoff,
                rectification, issuedAt, deadline, attempt, decisionId);
    }
}
