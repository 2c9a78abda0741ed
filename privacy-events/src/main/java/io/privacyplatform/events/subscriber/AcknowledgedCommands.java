package io.privacyplatform.events.subscriber;

import java.util.Optional;

import io.privacyplatform.events.payload.CommandAck;

/**
 * The acks a store has published, by command id: how {@link CommandSubscriber} recognises a command it already
 * carried out (and answers it again with the remembered ack instead of acting twice). A real store implements this
 * on its own database, ideally in the same database as the data the commands act on;
 * {@link InMemoryAcknowledgedCommands} is for tests and for stores without durable state.
 *
 * <p>Called from the subscriber's single loop thread only. {@link #remember(CommandAck)} must be durable when it
 * returns and must overwrite an earlier ack of the same command id. Acks with outcome {@code FAILED} are never
 * remembered: a re-sent failed command must be handled again. An exception from either method makes the subscriber
 * retry the record after a backoff (nothing is committed meanwhile).
 */
public interface AcknowledgedCommands {

    Optional<CommandAck> find(String commandId);

    void remember(CommandAck ack);
}
