package io.privacyplatform.request.listener;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import io.privacyplatform.request.service.StoreCommands;
import io.privacyplatform.support.store.StoreCommandInbox;
import io.smallrye.reactive.messaging.annotations.Blocking;

/**
 * Commands on {@code privacy.command.v1} for the store {@code request-service}, in platform-support's transactional
 * mode: the effect, the inbox row, the remembered outcome and the ack (in the outbox) commit in one transaction.
 */
@ApplicationScoped
public class PrivacyCommandListener {

    @Inject
    StoreCommandInbox inbox;

    @Inject
    StoreCommands commands;

    @Incoming("commands")
    @Blocking
    public void receive(ConsumerRecord<String, byte[]> record) {
        inbox.receive(record, StoreCommands.SYSTEM, commands);
    }
}
