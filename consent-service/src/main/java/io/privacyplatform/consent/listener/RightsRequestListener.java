package io.privacyplatform.consent.listener;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import io.privacyplatform.consent.service.RightsRequestEffects;
import io.privacyplatform.events.payload.RightsRequestChanged;
import io.privacyplatform.support.inbox.EventInbox;
import io.smallrye.reactive.messaging.annotations.Blocking;

/** Verified objections and restrictions from {@code privacy.rights-request.v1}; a redelivery has no second effect. */
@ApplicationScoped
public class RightsRequestListener {

    @Inject
    EventInbox inbox;

    @Inject
    RightsRequestEffects effects;

    @Incoming("rights-requests")
    @Blocking
    public void receive(ConsumerRecord<String, byte[]> record) {
        inbox.receive(record, RightsRequestChanged.class, (envelope, change) -> effects.apply(change));
    }
}
