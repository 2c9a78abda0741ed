package io.privacyplatform.events.payload;

import java.time.Instant;

import com.fasterxml.jackson.databind.JsonNode;

import com.fasterxml.jackson.annotation.JsonProperty;

import io.privacyplatform.events.Require;

/**
 * A store's answer to one command, on {@code privacy.command.ack.v1}. {@code digest} is the SHA-256 over the ids
 * of the affected records (see {@code RecordDigest}); {@code data} is set for EXPORT only.
 */
public record CommandAck(String commandId, String system, String tenantId, String requestId, AckOutcome outcome,
        @JsonProperty(required = true) long records, String digest, String detail, JsonNode data,
        Instant completedAt) {

    public CommandAck {
        Require.text(commandId, "commandId");
        Require.text(system, "system");
        Require.present(outcome, "outcome");
        Require.present(completedAt, "completedAt");
        if (records < 0) {
            throw new IllegalArgumentException("field 'records' must not be negative");
        }
    }

    /** {@code system}'s answer to {@code command}: its id, tenant and request are the command's. */
    public static CommandAck of(PrivacyCommand command, String system, AckOutcome outcome, long records,
            String digest, String detail, JsonNode data, Instant completedAt) {
        return new CommandAck(command.commandId(), system, command.tenantId(), command.requestId(), outcome, records,
                digest, detail, data, completedAt);
    }
}
