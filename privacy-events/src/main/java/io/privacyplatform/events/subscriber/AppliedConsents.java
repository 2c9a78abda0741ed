package io.privacyplatform.events.subscriber;

import java.util.Optional;

import io.privacyplatform.events.payload.ConsentApplied;

/**
 * The consent decisions a consent subscriber applied, by the event id of their {@code ConsentChanged}: how the
 * {@link ConsentSubscriber} recognises a decision delivered again and answers it with the remembered
 * acknowledgement instead of applying it twice. Like {@link AcknowledgedCommands}: durable when
 * {@link #remember(ConsentApplied)} returns, ideally in the database the handler writes to, called from the kit's one
 * loop thread, and an exception from either method makes the kit take the record again after a backoff.
 * {@link InMemoryAppliedConsents} is for tests and subscribers without durable state.
 */
public interface AppliedConsents {

    Optional<ConsentApplied> find(String eventId);

    void remember(ConsentApplied applied);
}
