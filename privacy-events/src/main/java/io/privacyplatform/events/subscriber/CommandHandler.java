package io.privacyplatform.events.subscriber;

import io.privacyplatform.events.EventEnvelope;
import io.privacyplatform.events.payload.PrivacyCommand;

/**
 * What a store does with one command addressed to it. See {@link CommandSubscriber} for the contract: the handler
 * must be idempotent (the same command can arrive again after a crash) and its effect must be durable when it
 * returns. A thrown exception becomes a {@code FAILED} ack whose detail is the exception's message, so the message
 * must not contain personal data.
 */
@FunctionalInterface
public interface CommandHandler {

    CommandResult handle(PrivacyCommand command, EventEnvelope envelope) throws Exception;
}
