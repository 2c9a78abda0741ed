package io.privacyplatform.consent.listener;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import io.privacyplatform.consent.service.StoreCommands;
import io.privacyplatform.events.payload.PrivacyCommand;
import io.privacyplatform.support.inbox.EventInbox;
import io.smallrye.reactive.messaging.annotations.Blocking;

/**
 * Commands on {@code privacy.command.v1} for the store {@code consent-service}. Unlike a store using the plain
 * subscriber kit, this service commits the effect, the inbox row and the ack (in its outbox) in one transaction.
 */
@ApplicationScoped
public class PrivacyCommandListener {

    public static final String CONSUMER = "store-consent-service";

    @Inject
    EventInbox inbox;

    @Inject
    StoreCommands commands;

    @Incoming("commands")
    @Blocking
    public void receive(ConsumerRecord<String, byte[]> record) {
        inbox.receive(CONSUMER, record, PrivacyCommand.class, commands::handle);
    }
}
