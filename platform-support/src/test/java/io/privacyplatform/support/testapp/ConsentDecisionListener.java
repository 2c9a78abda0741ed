package io.privacyplatform.support.testapp;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import io.privacyplatform.support.consent.ConsentSubscriberInbox;
import io.smallrye.reactive.messaging.annotations.Blocking;

/** The test consent subscriber {@value TestConsentDecisions#SYSTEM}, wired as a service of the platform wires one. */
@ApplicationScoped
public class ConsentDecisionListener {

    @Inject
    ConsentSubscriberInbox inbox;

    @Inject
    TestConsentDecisions decisions;

    @Incoming("consents")
    @Blocking
    public void receive(ConsumerRecord<String, byte[]> record) {
        inbox.receive(record, TestConsentDecisions.SYSTEM, decisions);
    }
}
