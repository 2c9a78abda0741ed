package io.privacyplatform.request.listener;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import io.privacyplatform.events.payload.CommandAck;
import io.privacyplatform.request.service.ExportCollector;
import io.privacyplatform.support.inbox.EventInbox;
import io.smallrye.reactive.messaging.annotations.Blocking;

/** The stores' acks on privacy.command.ack.v1: the data of EXPORT answers is kept for the request's export. */
@ApplicationScoped
public class CommandAckListener {

    @Inject
    EventInbox inbox;

    @Inject
    ExportCollector collector;

    @Incoming("acks-in")
    @Blocking
    public void receive(ConsumerRecord<String, byte[]> record) {
        inbox.receive(record, CommandAck.class,
                (envelope, ack) -> collector.onAck(envelope.tenantId(), ack));
    }
}
