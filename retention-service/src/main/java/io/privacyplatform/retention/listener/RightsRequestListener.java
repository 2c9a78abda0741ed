package io.privacyplatform.retention.listener;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import io.privacyplatform.events.payload.RightsRequestChanged;
import io.privacyplatform.retention.service.ErasureOrchestrator;
import io.privacyplatform.support.inbox.EventInbox;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** Verified rights requests from request-service become commands to the stores. */
@ApplicationScoped
public class RightsRequestListener {

    @Inject
    EventInbox inbox;

    @Inject
    ErasureOrchestrator orchestrator;

    @Incoming("rights-requests")
    @Blocking
    public void receive(ConsumerRecord<String, byte[]> record) {
        inbox.receive(record, RightsRequestChanged.class,
                (envelope, request) -> orchestrator.onRequestChanged(request));
    }
}
