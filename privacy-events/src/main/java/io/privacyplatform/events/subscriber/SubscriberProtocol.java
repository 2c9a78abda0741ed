package io.privacyplatform.events.subscriber;

import java.util.List;
import java.util.Optional;

import io.privacyplatform.events.EventEnvelope;
import io.privacyplatform.events.TenantScoped;

/**
 * What one kind of subscriber does with a message and how it answers, for the {@link SubscriberLoop} that does the
 * rest (polling,
 * dead letters, publishing and confirming the answers, remembering them, committing, retrying): the commands of a
 * store ({@link CommandSubscriber}) and the consent decisions of a consent subscriber ({@link ConsentSubscriber}).
 *
 * @param <M> the message read (a command, a consent decision); its tenant is its acknowledgements' too
 * @param <A> the acknowledgement published for it
 */
interface SubscriberProtocol<M extends TenantScoped, A> {

    /**
     * The message in {@code envelope}.
     *
     * @throws RuntimeException the record is not a valid message of this kind: it goes to the topic's {@code .dlq}
     */
    M decode(EventEnvelope envelope);

    /** Whether this subscriber acts on {@code message} (a store only on commands addressed to it). */
    boolean concerns(M message);

    /** What makes a message the same as another, delivered again (a command id, a consent event id). */
    String idOf(M message);

    /** The {@link #idOf} of the message {@code ack} answers. */
    String answered(A ack);

    /** The message for log lines: ids and kinds only, never a subject or an address. */
    String describe(M message);

    /** The acknowledgement's outcome, for log lines. */
    String outcomeOf(A ack);

    /**
     * The acknowledgement remembered for the message with this id, if any.
     *
     * @throws RuntimeException the memory (the system's database) cannot be read now: the record is taken again
     */
    Optional<A> remembered(String id);

    /**
     * Acts on the message and answers its acknowledgements, to be published in this order (usually one).
     *
     * @throws RetryLater the message cannot be acted on now and is taken again after the backoff, unacknowledged
     */
    List<A> answer(M message, EventEnvelope envelope) throws RetryLater, InterruptedException;

    /** Whether {@code first}, the first of the message's acknowledgements, is remembered once confirmed. */
    boolean remembers(M message, A first);

    /**
     * Remembers a confirmed acknowledgement.
     *
     * @throws RuntimeException the memory cannot be written now: the record is taken again
     */
    void remember(A ack);

    /**
     * The acknowledgement's event id: the same acknowledgement always travels with the same id, so a republished
     * one is recognisably a duplicate.
     */
    String ackEventId(A ack);
}
