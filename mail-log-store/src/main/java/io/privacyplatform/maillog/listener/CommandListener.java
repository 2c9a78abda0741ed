package io.privacyplatform.maillog.listener;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import io.privacyplatform.maillog.config.MailLogConfig;
import io.privacyplatform.maillog.service.MailLogCommands;
import io.privacyplatform.support.store.StoreCommandInbox;
import io.smallrye.reactive.messaging.annotations.Blocking;

/**
 * The platform's commands on {@code privacy.command.v1}, in platform-support's transactional mode: the effect,
 * the inbox row, the remembered outcome and the ack (in the outbox) commit in one transaction. This is how a
 * Quarkus service of the platform is a store; any other JVM system uses the plain subscriber kit (README).
 */
@ApplicationScoped
public class CommandListener {

    @Inject
    StoreCommandInbox inbox;

    @Inject
    MailLogCommands commands;

    @Inject
    MailLogConfig config;

    @Incoming("commands")
    @Blocking
    public void receive(ConsumerRecord<String, byte[]> record) {
        inbox.receive(record, config.systemName(), commands);
    }
}
