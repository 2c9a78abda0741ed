package io.privacyplatform.support.testapp;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import io.privacyplatform.support.store.StoreCommandInbox;
import io.smallrye.reactive.messaging.annotations.Blocking;

/** The test store {@value TestStoreCommands#SYSTEM}, wired as a Quarkus service of the platform wires its store. */
@ApplicationScoped
public class StoreCommandListener {

    @Inject
    StoreCommandInbox inbox;

    @Inject
    TestStoreCommands commands;

    @Incoming("commands")
    @Blocking
    public void receive(ConsumerRecord<String, byte[]> record) {
        inbox.receive(record, TestStoreCommands.SYSTEM, commands);
    }
}
