package io.privacyplatform.events.subscriber;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import io.privacyplatform.events.payload.CommandAck;

/** {@link AcknowledgedCommands} in a map: lost on restart, so only for tests and stores without durable state. */
public final class InMemoryAcknowledgedCommands implements AcknowledgedCommands {

    private final Map<String, CommandAck> acks = new ConcurrentHashMap<>();

    @Override
    public Optional<CommandAck> find(String commandId) {
        return Optional.ofNullable(acks.get(commandId));
    }

    @Override
    public void remember(CommandAck ack) {
        Objects.requireNonNull(ack, "ack");
        acks.put(ack.commandId(), ack);
    }

    public int size() {
        return acks.size();
    }
}
