package io.privacyplatform.support.testapp;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import io.privacyplatform.events.payload.Notification;
import io.privacyplatform.support.inbox.EventInbox;
import io.smallrye.reactive.messaging.annotations.Blocking;

@ApplicationScoped
public class NotificationListener {

    @Inject
    EventInbox inbox;

    @Inject
    EntityManager entityManager;

    @Incoming("notifications-in")
    @Blocking
    public void receive(ConsumerRecord<String, byte[]> record) {
        inbox.receive("support-test", record, Notification.class, (envelope, notification) -> entityManager
                .createNativeQuery("INSERT INTO notification_effect (event_id, kind) VALUES (?1, ?2)")
                .setParameter(1, envelope.id())
                .setParameter(2, notification.kind())
                .executeUpdate());
    }
}
