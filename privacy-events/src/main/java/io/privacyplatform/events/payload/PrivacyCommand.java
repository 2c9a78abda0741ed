package io.privacyplatform.events.payload;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonProperty;

import io.privacyplatform.events.Require;

/**
 * A command to one downstream store, on {@code privacy.command.v1}. A store acts only on commands whose
 * {@code targetSystem} is its own name, and must treat a repeated {@code commandId} as already done.
 */
public record PrivacyCommand(String commandId, CommandKind kind, String tenantId, String targetSystem,
        String requestId, CommandSubject subject, List<String> categories, Instant cutoff,
        Map<String, String> rectification, Instant issuedAt, Instant deadline, @JsonProperty(required = true) int attempt) {

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
    }
}
