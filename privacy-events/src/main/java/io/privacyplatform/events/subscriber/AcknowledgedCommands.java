package io.privacyplatform.events.subscriber;

import java.util.Optional;

import io.privacyplatform.events.payload.CommandAck;

/**
 * The acks a store remembers, by command id: how a store recognises a command it already carried out and answers
 * it again with the remembered ack instead of acting twice. Which acks are remembered is {@link StoreRules}'s
 * rule (never {@code FAILED}, never an EXPORT's). A store using {@link CommandSubscriber} implements this on its own
 * database, ideally the one that holds the data; a Quarkus service in platform-support's transactional mode uses
 * the platform table {@code store_command_outcome}; {@link InMemoryAcknowledgedCommands} is for tests and stores
 * without durable state. See {@code docs/events.md}, section "Stores: receiving commands".
 *
 * <p>{@link #remember(CommandAck)} must be durable when it returns (or, in the transactional mode, when the
 * command's transaction commits) and must overwrite an earlier ack of the same command id. With the kit, both
 * methods are called from its single loop thread, and an exception from either makes it retry the record after a
 * backoff (nothing is committed meanwhile).
 */
public interface AcknowledgedCommands {

    Optional<CommandAck> find(String commandId);

    void remember(CommandAck ack);
}
