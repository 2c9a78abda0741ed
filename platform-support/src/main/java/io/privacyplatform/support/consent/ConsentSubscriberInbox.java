package io.privacyplatform.support.consent;

import java.time.Clock;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;

import io.privacyplatform.events.payload.ConsentChanged;
import io.privacyplatform.events.subscriber.ConsentHandler;
import io.privacyplatform.events.subscriber.ConsentSubscriberRules;
import io.privacyplatform.support.inbox.EventInbox;
import io.privacyplatform.support.outbox.Outbox;

/**
 * The transactional mode of a consent subscriber, for a Quarkus service of this platform (mail-log-store, standing
 * for the mailer): its {@code @Incoming @Blocking} listener of {@code privacy.consent.changed.v1} hands each record
 * here with its system name and its {@link ConsentHandler} (written as for the plain kit's
 * {@code ConsentSubscriber}). The decision's effect, its inbox row (the dedupe by event id) and its acknowledgement
 * on {@code privacy.consent.applied.v1} (through the {@link Outbox}, signed by the relay with the service's key)
 * commit in one database transaction, so a decision is acknowledged exactly when it was applied. A handler that
 * throws rolls everything back and {@link EventInbox}'s rules apply: tried again until it succeeds, or the record
 * goes to the topic's {@code .dlq} when the exception says the event itself is at fault.
 */
@ApplicationScoped
public class ConsentSubscriberInbox {

    @Inject
    EventInbox inbox;

    @Inject
    Outbox outbox;

    @Inject
    Clock clock;

    /**
     * Applies and acknowledges the decision in {@code record} as {@code systemName}.
     *
     * @return whether the record was taken (false for an event id this service processed before)
     */
    public boolean receive(ConsumerRecord<String, byte[]> record, String systemName, ConsentHandler handler) {
        ConsentSubscriberRules rules = new ConsentSubscriberRules(systemName, clock);
        return inbox.receive(record, ConsentChanged.class, (envelope, consent) -> {
            try {
                handler.apply(consent, envelope);
            } catch (RuntimeException e) {
                throw e; // EventInbox sorts them: the event's fault goes to the .dlq, anything else is retried
            } catch (Exception e) {
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
                throw new IllegalStateException("the handler of consent event " + consent.eventId() + " failed", e);
            }
            outbox.publishAs(rules.source(), consent.tenantId(), envelope.key(), rules.applied(consent));
        });
    }
}
