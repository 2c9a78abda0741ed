package io.privacyplatform.request.listener;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import io.privacyplatform.events.payload.CommandAck;
import io.privacyplatform.request.service.ExportCollector;
import io.privacyplatform.support.inbox.EventInbox;
import io.smallrye.reactive.messaging.annotations.Blocking;

/**
 * The stores' acks on privacy.command.ack.v1: the data of EXPORT answers is kept for the request's export. The
 * other acks (ERASE, RESTRICT, …: most of the topic during an erasure wave) are retention-service's business and are
 * passed over without a transaction.
 */
@ApplicationScoped
public class CommandAckListener {

    @Inject
    EventInbox inbox;

    @Inject
    ExportCollector collector;

    @Incoming("acks-in")
    @Blocking
    public void receive(ConsumerRecord<String, byte[]> record) {
        inbox.receiveIf(record, CommandAck.class, ExportCollector::carriesExport,
                (envelope, ack) -> collector.onAck(envelope.tenantId(), ack));
    }
}
