package io.privacyplatform.retention.mapping;

import java.time.Instant;
import java.util.List;

import io.privacyplatform.events.payload.RequestProgress.SystemProgress;
import io.privacyplatform.events.payload.Retained;
import io.privacyplatform.retention.CommandState;
import io.privacyplatform.retention.SubjectCommand;

/** Commands as progress events and as API views. */
public final class CommandMapper {

    private CommandMapper() {
    }

    /** One system's command as the operator sees it. */
    public record CommandView(String commandId, String requestId, String policyRunId, String tenantId,
            String system, String kind, List<String> categories, List<String> heldCategories, String state,
            int attempts, Instant nextAttemptAt, String outcome, long records, String digest, String detail,
            Instant createdAt, Instant updatedAt, Instant completedAt, String releaseId,
            List<String> missingIdentifiers, List<Retained> retained) {
    }

    public static CommandView view(SubjectCommand c) {
        return new CommandView(c.commandId, c.requestId, c.policyRunId == null ? null : c.policyRunId.toString(),
                c.tenantId, c.systemId, c.kind.name(), List.of(c.categories), List.of(c.heldCategories),
                c.state.wire(), c.attempts, c.nextAttemptAt, c.outcome == null ? null : c.outcome.name(), c.records,
                c.digest, c.detail, c.createdAt, c.updatedAt, c.completedAt,
                c.releaseId == null ? null : c.releaseId.toString(), List.of(c.missingIdentifiers), c.retained);
    }

    public static List<SystemProgress> progressOf(List<SubjectCommand> commands) {
        return commands.stream().map(CommandMapper::progress).toList();
    }

    private static SystemProgress progress(SubjectCommand c) {
        return new SystemProgress(c.systemId, c.commandId, c.kind.name(), progressState(c.state), c.outcome,
                c.records, c.digest, detail(c), c.attempts, c.updatedAt, List.of(c.missingIdentifiers));
    }

    /** The event's system states: a command waiting for its retry is {@code pending}. */
    static String progressState(CommandState state) {
        return state == CommandState.RETRY ? "pending" : state.wire();
    }

    /** Held categories are named in the detail, so the request's progress shows what an erasure left in place. */
    private static String detail(SubjectCommand c) {
        if (c.heldCategories.length == 0 || c.state == CommandState.HELD) {
            return c.detail;
        }
        String held = "held: " + String.join(", ", c.heldCategories);
        return c.detail == null ? held : held + "; " + c.detail;
    }
}
