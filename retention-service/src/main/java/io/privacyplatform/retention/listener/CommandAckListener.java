package io.privacyplatform.retention.listener;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import io.privacyplatform.events.payload.CommandAck;
import io.privacyplatform.retention.service.CommandTracker;
import io.privacyplatform.support.inbox.EventInbox;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** The stores' answers to commands. */
@ApplicationScoped
public class CommandAckListener {

    @Inject
    EventInbox inbox;

    @Inject
    CommandTracker tracker;

    @Incoming("command-acks")
    @Blocking
    public void receive(ConsumerRecord<String, byte[]> record) {
        inbox.receive(record, CommandAck.class, (envelope, ack) -> tracker.onAck(ack));
    }
}
