package io.privacyplatform.support.store;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import io.privacyplatform.events.subscriber.CommandHandler;
import io.quarkus.arc.properties.IfBuildProperty;
import io.smallrye.reactive.messaging.annotations.Blocking;

/**
 * The one listener of every Quarkus service that is a store ({@code privacy.store.enabled=true}): commands on its
 * {@code commands} channel ({@code privacy.command.v1}) go to {@link StoreCommandInbox} with the service's
 * {@link CommandHandler} bean and its {@code privacy.store.system-name}. A service that is no store (the property
 * unset when it is built) has no such bean and needs no {@code commands} channel.
 */
@ApplicationScoped
@IfBuildProperty(name = "privacy.store.enabled", stringValue = "true")
public class StoreCommandListener {

    @Inject
    StoreCommandInbox inbox;

    @Inject
    CommandHandler handler;

    @ConfigProperty(name = "privacy.store.system-name")
    String systemName;

    @Incoming("commands")
    @Blocking
    public void receive(ConsumerRecord<String, byte[]> record) {
        inbox.receive(record, systemName, handler);
    }
}
