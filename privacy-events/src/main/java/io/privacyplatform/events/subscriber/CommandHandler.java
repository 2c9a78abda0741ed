package io.privacyplatform.events.subscriber;

import io.privacyplatform.events.EventEnvelope;
import io.privacyplatform.events.payload.PrivacyCommand;

/**
 * What a store does with one command addressed to it, the same in both ways of receiving commands (the plain
 * {@link CommandSubscriber} and platform-support's transactional mode); the rules around it are
 * {@link StoreRules}'s. What a handler must guarantee (idempotent, durable, honest outcomes, no personal data in
 * details or exception messages) and what happens when it throws are written in {@code docs/events.md}, section
 * "Stores: receiving commands".
 */
@FunctionalInterface
public interface CommandHandler {

    CommandResult handle(PrivacyCommand command, EventEnvelope envelope) throws Exception;
}
