package io.privacyplatform.events.subscriber;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import io.privacyplatform.events.payload.ConsentApplied;

/** {@link AppliedConsents} in a map: lost on restart, so only for tests and subscribers without durable state. */
public final class InMemoryAppliedConsents implements AppliedConsents {

    private final Map<String, ConsentApplied> applied = new ConcurrentHashMap<>();

    @Override
    public Optional<ConsentApplied> find(String eventId) {
        return Optional.ofNullable(applied.get(eventId));
    }

    @Override
    public void remember(ConsentApplied ack) {
        Objects.requireNonNull(ack, "ack");
        applied.put(ack.eventId(), ack);
    }

    public int size() {
        return applied.size();
    }
}
