package io.privacyplatform.retention.repository;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import io.privacyplatform.retention.CommandState;
import io.privacyplatform.retention.SubjectCommand;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

/** Commands to the systems, of rights requests and of policy runs. */
@ApplicationScoped
public class SubjectCommandRepository implements PanacheRepositoryBase<SubjectCommand, String> {

    /** The request's commands, one per system, ordered by system (without the deferred ones of later releases). */
    public List<SubjectCommand> ofRequest(String requestId) {
        return new ArrayList<>(list("requestId = ?1 and releaseId is null order by systemId", requestId));
    }

    /** The request's deferred ERASE commands, issued when legal holds ended, oldest first. */
    public List<SubjectCommand> deferredOf(String requestId) {
        return list("requestId = ?1 and releaseId is not null order by createdAt, systemId", requestId);
    }

    /** The deferred commands one release issued, ordered by system. */
    public List<SubjectCommand> ofRelease(UUID releaseId) {
        return list("releaseId = ?1 order by systemId", releaseId);
    }

    /** The run's commands, one per system, ordered by system. */
    public List<SubjectCommand> ofRun(UUID policyRunId) {
        return list("policyRunId = ?1 order by systemId", policyRunId);
    }

    /** The command, locked until the transaction ends and read afresh (another transaction may have changed it). */
    public SubjectCommand lock(String commandId) {
        SubjectCommand command = findById(commandId, LockModeType.PESSIMISTIC_WRITE);
        getEntityManager().refresh(command);
        return command;
    }

    /** Ids of commands waiting for an ack or a retry whose time has come, the longest waiting first. */
    @SuppressWarnings("unchecked")
    public List<String> dueIds(Instant now, Instant ackClock, int limit) {
        return getEntityManager().createNativeQuery(
                "SELECT command_id FROM subject_command WHERE state = 'sent' AND next_attempt_at <= ?1"
                        + " OR state = 'retry' AND next_attempt_at <= ?2 ORDER BY next_attempt_at LIMIT ?3")
                .setParameter(1, ackClock).setParameter(2, now).setParameter(3, limit).getResultList();
    }

    /** Whether any command to the system has no final answer yet (sent, waiting for a retry, or stuck). */
    public boolean anyOpenTo(String systemId) {
        return count("systemId = ?1 and state in ?2", systemId, new ArrayList<>(CommandState.OPEN)) > 0;
    }
}
