package io.privacyplatform.support.testapp;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

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
        inbox.receive(record, Notification.class, (envelope, notification) -> {
            NotificationFaults.apply(notification.kind());
            entityManager.createNativeQuery("INSERT INTO notification_effect (event_id, kind) VALUES (?1, ?2)")
                    .setParameter(1, envelope.id())
                    .setParameter(2, notification.kind())
                    .executeUpdate();
            if (FLAKY.equals(notification.kind())
                    && failures.merge(envelope.id(), 1, Integer::sum) <= FLAKY_FAILURES) {
                // After the insert, so the failed tries' effects must be rolled back for the test to pass.
                throw new IllegalStateException("simulated outage of a dependency");
            }
            if (LONG_OUTAGE.equals(notification.kind())
                    && failures.merge(envelope.id(), 1, Integer::sum) <= LONG_OUTAGE_FAILURES) {
                throw new IllegalStateException("simulated database outage",
                        new java.sql.SQLTransientConnectionException("connection refused"));
            }
            if (REJECTED.equals(notification.kind())) {
                throw new IllegalArgumentException("the effect rejects this event");
            }
        });
    }

    /** Events of this kind fail their first {@value #FLAKY_FAILURES} tries, as during a short outage. */
    public static final String FLAKY = "flaky";
    static final int FLAKY_FAILURES = 2;
    /** Events of this kind fail their first {@value #LONG_OUTAGE_FAILURES} tries (more than any retry budget had). */
    public static final String LONG_OUTAGE = "long_outage";
    public static final int LONG_OUTAGE_FAILURES = 12;
    /** Events of this kind are rejected by the effect as invalid (after its insert, which must roll back). */
    public static final String REJECTED = "rejected";
    private final Map<String, Integer> failures = new ConcurrentHashMap<>();
}
