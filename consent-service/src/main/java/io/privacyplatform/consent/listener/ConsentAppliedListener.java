package io.privacyplatform.consent.listener;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import io.micrometer.core.instrument.MeterRegistry;
import io.privacyplatform.consent.ConsentSubscriber;
import io.privacyplatform.consent.repository.ConsentSubscriberRepository;
import io.privacyplatform.consent.service.ConsentPropagation;
import io.privacyplatform.events.Ed25519Keys;
import io.privacyplatform.events.EventEnvelope;
import io.privacyplatform.events.EventSignature;
import io.privacyplatform.events.EventSignature.RejectedSignatureException;
import io.privacyplatform.events.InvalidEventException;
import io.privacyplatform.events.payload.ConsentApplied;
import io.privacyplatform.support.inbox.EventInbox;
import io.smallrye.reactive.messaging.annotations.Blocking;

/**
 * The consent subscribers' acknowledgements ({@code privacy.consent.applied.v1}). Anyone who may write the topic
 * could claim to be any subscriber, and "applied" is what tells the subject's withdrawal took effect: so an
 * acknowledgement counts only when it is signed with the key registered for the subscriber it names. Anything else
 * naming a registered subscriber (unsigned, another key) is rejected as invalid: it goes to the topic's {@code .dlq},
 * is counted in {@code consent_propagation_acks_rejected_total{reason}} and changes nothing (not even the inbox: the
 * genuine acknowledgement with the same id still counts). One naming a system that is not registered is counted
 * ({@code reason="unknown_subscriber"}) and passed over: nothing is tracked for that system, so there is nothing to
 * record and nothing wrong with the record — a subscriber acknowledges before an admin registers it (mail-log-store
 * in a local run does), and a dead-letter topic full of valid acknowledgements would hide real poison. A redelivered
 * one is dropped by the inbox (event id).
 */
@ApplicationScoped
public class ConsentAppliedListener {

    static final String REJECTED_METER = "consent.propagation.acks.rejected";
    static final String UNKNOWN_SUBSCRIBER = "unknown_subscriber";

    private static final Logger LOG = Logger.getLogger(ConsentAppliedListener.class);

    @Inject
    EventInbox inbox;

    @Inject
    ConsentPropagation propagation;

    @Inject
    ConsentSubscriberRepository subscribers;

    @Inject
    MeterRegistry meters;

    @Incoming("consent-applied")
    @Blocking
    public void receive(ConsumerRecord<String, byte[]> record) {
        inbox.receive(record, ConsentApplied.class, (envelope, ack) -> {
            ConsentSubscriber subscriber = subscribers.findById(ack.system());
            if (subscriber == null) {
                meters.counter(REJECTED_METER, "reason", UNKNOWN_SUBSCRIBER).increment();
                LOG.debugf("passed over acknowledgement %s of system %s: not a registered consent subscriber",
                        envelope.id(), ack.system());
                return;
            }
            requireSignedBy(subscriber, record, envelope, ack);
            propagation.onApplied(ack);
        });
    }

    /** @throws InvalidEventException the acknowledgement is not signed with the key of the subscriber it names */
    private void requireSignedBy(ConsentSubscriber subscriber, ConsumerRecord<String, byte[]> record,
            EventEnvelope envelope, ConsentApplied ack) {
        try {
            EventSignature.verify(envelope, record.headers(), Ed25519Keys.publicKeyFromBase64(subscriber.publicKey));
        } catch (RejectedSignatureException e) {
            throw rejected(e.rejection().label(), envelope, ack, "is " + (e.rejection()
                    == EventSignature.Rejection.UNSIGNED ? "unsigned" : "not signed with the subscriber's key"));
        }
    }

    private InvalidEventException rejected(String reason, EventEnvelope envelope, ConsentApplied ack, String why) {
        meters.counter(REJECTED_METER, "reason", reason).increment();
        LOG.warnf("rejected acknowledgement %s (consent %s, system %s, source %s): it %s", envelope.id(),
                ack.consentId(), ack.system(), envelope.source(), why);
        return new InvalidEventException("acknowledgement " + envelope.id() + " of system " + ack.system()
                + " rejected (" + reason + "): it " + why);
    }
}
