package io.privacyplatform.retention.listener;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import io.micrometer.core.instrument.MeterRegistry;
import io.privacyplatform.events.Ed25519Keys;
import io.privacyplatform.events.EventEnvelope;
import io.privacyplatform.events.EventSignature;
import io.privacyplatform.events.EventSignature.RejectedSignatureException;
import io.privacyplatform.events.InvalidEventException;
import io.privacyplatform.events.payload.CommandAck;
import io.privacyplatform.retention.DataSystem;
import io.privacyplatform.retention.repository.DataSystemRepository;
import io.privacyplatform.retention.service.CommandTracker;
import io.privacyplatform.support.inbox.EventInbox;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * The stores' answers to commands. Anyone who may write the ack topic could claim to be any store, and an ack
 * becomes a signed deletion certificate: so an ack counts only when it is signed with the key registered on the data
 * map for the system it names. Anything else (unsigned, another key, a system not on the map or without a key) is
 * rejected as invalid: it goes to the topic's {@code .dlq}, is counted in {@code privacy_acks_rejected_total{reason}}
 * and changes nothing.
 */
@ApplicationScoped
public class CommandAckListener {

    static final String REJECTED_METER = "privacy.acks.rejected";
    static final String UNKNOWN_SYSTEM = "unknown_system";
    static final String NO_KEY = "no_key";

    private static final Logger LOG = Logger.getLogger(CommandAckListener.class);

    @Inject
    EventInbox inbox;

    @Inject
    CommandTracker tracker;

    @Inject
    DataSystemRepository systems;

    @Inject
    MeterRegistry meters;

    @Incoming("command-acks")
    @Blocking
    public void receive(ConsumerRecord<String, byte[]> record) {
        inbox.receive(record, CommandAck.class, (envelope, ack) -> {
            requireSignedByItsSystem(record, envelope, ack);
            tracker.onAck(ack);
        });
    }

    /** @throws InvalidEventException the ack is not signed with the key of the system it names */
    private void requireSignedByItsSystem(ConsumerRecord<String, byte[]> record, EventEnvelope envelope,
            CommandAck ack) {
        DataSystem system = systems.findById(ack.system());
        if (system == null) {
            throw rejected(UNKNOWN_SYSTEM, envelope, ack, "names a system that is not on the data map");
        }
        if (system.ackPublicKey == null) {
            throw rejected(NO_KEY, envelope, ack, "names a system without a registered ack key");
        }
        try {
            EventSignature.verify(envelope, record.headers(), Ed25519Keys.publicKeyFromBase64(system.ackPublicKey));
        } catch (RejectedSignatureException e) {
            throw rejected(e.rejection().label(), envelope, ack, "is " + (e.rejection()
                    == EventSignature.Rejection.UNSIGNED ? "unsigned" : "not signed with the system's key"));
        }
    }

    private InvalidEventException rejected(String reason, EventEnvelope envelope, CommandAck ack, String why) {
        meters.counter(REJECTED_METER, "reason", reason).increment();
        LOG.warnf("rejected ack %s (command %s, system %s, source %s): it %s", envelope.id(), ack.commandId(),
                ack.system(), envelope.source(), why);
        return new InvalidEventException("ack " + envelope.id() + " for system " + ack.system() + " rejected ("
                + reason + "): it " + why);
    }
}
