package io.privacyplatform.events.payload;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import com.fasterxml.jackson.annotation.JsonProperty;

import io.privacyplatform.events.Require;
import io.privacyplatform.events.TenantScoped;

/**
 * A store's answer to one command, on {@code privacy.command.ack.v1}. {@code digest} is the SHA-256 over the ids
 * of the affected records (see {@code RecordDigest}); {@code data} is set for EXPORT only. {@code retained} names
 * what the store kept instead of erasing it, with the reason (empty when it kept nothing). An EXPORT's data may come
 * in several acks of the same command: {@code part} 1..{@code parts}, each with the same outcome, records and digest
 * and a chunk of the data array; both are absent on a single-part ack.
 */
public record CommandAck(String commandId, String system, String tenantId, String requestId, AckOutcome outcome,
        @JsonProperty(required = true) long records, String digest, String detail, JsonNode data,
        Instant completedAt, List<Retained> retained, Integer part, Integer parts) implements TenantScoped {

    public CommandAck {
        Require.text(commandId, "commandId");
        Require.text(system, "system");
        Require.present(outcome, "outcome");
        Require.present(completedAt, "completedAt");
        if (records < 0) {
            throw new IllegalArgumentException("field 'records' must not be negative");
        }
        retained = retained == null ? List.of() : List.copyOf(retained);
        if ((part == null) != (parts == null)) {
            throw new IllegalArgumentException("fields 'part' and 'parts' go together");
        }
        if (part != null && (part < 1 || part > parts)) {
            throw new IllegalArgumentException("field 'part' must be between 1 and 'parts'");
        }
    }

    /** A single-part ack that retained nothing. */
    public CommandAck(String commandId, String system, String tenantId, String requestId, AckOutcome outcome,
            long records, String digest, String detail, JsonNode data, Instant completedAt) {
        this(commandId, system, tenantId, requestId, outcome, records, digest, detail, data, completedAt, List.of(),
                null, null);
    }

    /** Part {@code part} of {@code parts} of this ack, carrying {@code chunk} as its data. */
    public CommandAck asPart(int part, int parts, JsonNode chunk) {
        return new CommandAck(commandId, system, tenantId, requestId, outcome, records, digest, detail, chunk,
                completedAt, retained, part, parts);
    }

    /** This ack naming what the store retained. */
    public CommandAck withRetained(List<Retained> kept) {
        return new CommandAck(commandId, system, tenantId, requestId, outcome, records, digest, detail, data,
                completedAt, kept, part, parts);
    }

    /** {@code system}'s answer to {@code command}: its id, tenant and request are the command's. */
    public static CommandAck of(PrivacyCommand command, String system, AckOutcome outcome, long records,
            String digest, String detail, JsonNode data, Instant completedAt) {
        return new CommandAck(command.commandId(), system, command.tenantId(), command.requestId(), outcome, records,
                digest, detail, data, completedAt);
    }
}
