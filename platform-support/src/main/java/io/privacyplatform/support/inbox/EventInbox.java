package io.privacyplatform.support.inbox;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Predicate;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import io.privacyplatform.events.EventCodec;
import io.privacyplatform.events.EventEnvelope;
import io.privacyplatform.events.InvalidEventException;
import io.privacyplatform.events.keys.SubjectErasedException;
import io.privacyplatform.support.error.ApiException;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;

/**
 * The processed-event log of a consumer. An event's effect and its inbox row commit in one transaction, so a
 * redelivered event (at-least-once delivery, a relay that re-sent after an outage) has no second effect.
 * <p>
 * The consumer id in {@code inbox_event} is always {@code <privacy.service.name>/<topic>}: one rule for every
 * listener, so a listener cannot invent a name and two listeners of one topic in one service share its log.
 * <p>
 * <b>Which failures reach the dead-letter topic.</b> Only the event's own fault does: a record that cannot be decoded,
 * and an effect that rejects the event ({@link InvalidEventException}, {@link IllegalArgumentException}, an
 * {@link ApiException} with a 4xx status). Those propagate at once, SmallRye's failure strategy copies the record to
 * the topic's {@code .dlq} with the error in its headers, and the consumer carries on with the next record.
 * <p>
 * <b>Everything else waits.</b> A database that is away, the key store that opens sealed fields being away while the
 * record is decoded, a refused connection, a serialization failure, a lock timeout, a broker the effect needed: the
 * record is tried again, with exponential backoff capped at {@code privacy.inbox.max-backoff}, for as long as it
 * takes. {@link #receive} does not return meanwhile, so the record is neither acknowledged nor nacked: its offset is
 * not committed, no later record of the channel is taken (listeners are {@code @Blocking} and ordered), and the
 * consumer lag grows. A valid event is therefore never lost to
 * a dead-letter topic because infrastructure was away, and it takes effect once, when it is back.
 * <p>
 * <b>An unexpected bug</b> (a {@link NullPointerException}, an {@link IllegalStateException} of our own) is treated
 * the same way, on purpose: the record's channel stalls with an ERROR log every {@code max-backoff} and a growing
 * consumer lag (alerted on) until a fix is deployed, and then the event takes effect. For a compliance product a
 * stalled partition is visible and recoverable; an erasure or objection parked in a dead-letter topic is silently
 * not carried out. An operator who decides a particular event must be skipped does so explicitly.
 * <p>
 * <b>Erased subjects.</b> An event whose personal fields are sealed with a data key that was destroyed (its subject
 * was erased: crypto-shredding) is neither poison nor worth a retry: it is skipped and acknowledged without an effect,
 * logged at INFO and counted in {@code privacy_events_erased_total{consumer}}.
 * <p>
 * <b>Shutdown.</b> When the application stops while a record waits, {@link #receive} throws
 * {@link EventDeferredException}; the platform's failure strategy ({@link DeferringDeadLetterQueue}) leaves such a
 * record unacknowledged and not dead-lettered, so it is delivered again after the restart.
 * <p>
 * The channel settings this relies on (no SmallRye timeout that fails a record still being processed) are in
 * platform-support's {@code META-INF/microprofile-config.properties}.
 */
@ApplicationScoped
public class EventInbox {

    private static final Logger LOG = Logger.getLogger(EventInbox.class);
    /** Events skipped because their subject's data key is destroyed, per consumer. */
    public static final String ERASED_METER = "privacy.events.erased";

    @Inject
    AgroalDataSource dataSource;

    @Inject
    EventCodec codec;

    @Inject
    MeterRegistry meters;

    @ConfigProperty(name = "privacy.service.name")
    String serviceName;

    /** The wait after the first failed try; it doubles per try up to {@link #maxBackoff}. */
    @ConfigProperty(name = "privacy.inbox.retry-backoff", defaultValue = "200ms")
    Duration retryBackoff;

    /** The longest wait between two tries of a record that keeps failing (and how often it is logged at ERROR). */
    @ConfigProperty(name = "privacy.inbox.max-backoff", defaultValue = "10s")
    Duration maxBackoff;

    /** Counted down when the application stops: a waiting record stops waiting and is left for the restart. */
    private final CountDownLatch stopping = new CountDownLatch(1);

    void stop(@Observes ShutdownEvent event) {
        stopping.countDown();
    }

    /**
     * Decodes the record as {@code type} and, in a new transaction, runs {@code effect} unless this service has
     * processed this event id from the record's topic before. Returns only once that transaction committed (or the
     * event turned out to be processed before); see the class comment for what propagates.
     *
     * @return whether the effect ran
     * @throws InvalidEventException when the record cannot be decoded or the effect rejects it as invalid
     * @throws IllegalArgumentException when the effect rejects the event
     * @throws ApiException (4xx) when the effect rejects the event
     * @throws EventDeferredException when the application stops before the effect could run
     */
    public <T> boolean receive(ConsumerRecord<String, byte[]> record, Class<T> type,
            BiConsumer<EventEnvelope, T> effect) {
        return receiveIf(record, type, payload -> true, effect);
    }

    /**
     * {@link #receive}, for a consumer that acts on some events of a topic only: an event {@code relevant} refuses
     * is decoded (a record that cannot be decoded still goes to the {@code .dlq}) and then left alone, without a
     * transaction or an inbox row. Only for events whose effect would be nothing: a duplicate of such an event is
     * refused again, so it needs no log.
     */
    public <T> boolean receiveIf(ConsumerRecord<String, byte[]> record, Class<T> type, Predicate<T> relevant,
            BiConsumer<EventEnvelope, T> effect) {
        String consumer = serviceName + "/" + record.topic();
        EventEnvelope envelope = EventEnvelope.fromRecord(record);
        long backoffMillis = Math.max(1, retryBackoff.toMillis());
        long maxBackoffMillis = Math.max(backoffMillis, maxBackoff.toMillis());
        T payload = null;
        for (int attempt = 1;; attempt++) {
            try {
                if (payload == null) {
                    // Decoded inside the retries: opening sealed fields reads the key store, which may be away (a
                    // restart of its database) — that is not the event's fault and must not send it to the .dlq.
                    payload = codec.decode(envelope, type);
                    if (!relevant.test(payload)) {
                        return false;
                    }
                }
                T decoded = payload;
                boolean ran = QuarkusTransaction.requiringNew().call(() -> {
                    if (!firstDelivery(consumer, envelope.id())) {
                        return false;
                    }
                    effect.accept(envelope, decoded);
                    return true;
                });
                if (!ran) {
                    LOG.debugf("%s skipped event %s: processed before", consumer, envelope.id());
                } else if (attempt > 1) {
                    LOG.infof("%s processed event %s at attempt %d", consumer, envelope.id(), attempt);
                }
                return ran;
            } catch (SubjectErasedException e) {
                // Its subject was erased after it was written: there is nothing left to act on, and nothing to retry.
                meters.counter(ERASED_METER, "consumer", consumer).increment();
                LOG.infof("%s skipped event %s: its data key %s is destroyed (erased subject)", consumer,
                        envelope.id(), e.keyId());
                return false;
            } catch (RuntimeException e) {
                if (rejectsTheEvent(e)) {
                    throw e; // the event itself is at fault: trying again cannot help, the .dlq keeps it
                }
                // Nothing of the failed try was committed. Only the exception's classes and where a bug was thrown
                // are logged: database messages may quote stored values.
                if (backoffMillis < maxBackoffMillis) {
                    LOG.warnf("%s could not process event %s (attempt %d: %s); trying again in %d ms", consumer,
                            envelope.id(), attempt, summary(e), backoffMillis);
                } else {
                    LOG.errorf("%s is STALLED on event %s at %s-%d@%d (attempt %d: %s); the record is not"
                            + " committed and is tried again every %d ms until it succeeds", consumer,
                            envelope.id(), record.topic(), record.partition(), record.offset(), attempt, summary(e),
                            backoffMillis);
                }
                pause(backoffMillis, envelope.id(), e);
                backoffMillis = Math.min(backoffMillis * 2, maxBackoffMillis);
            }
        }
    }

    /** The event's own fault, which no retry can cure: it belongs on the dead-letter topic. */
    static boolean rejectsTheEvent(RuntimeException e) {
        if (e instanceof InvalidEventException || e instanceof IllegalArgumentException) {
            return true;
        }
        return e instanceof ApiException api && api.status() >= 400 && api.status() < 500;
    }

    private void pause(long millis, String eventId, RuntimeException failure) {
        boolean stopped;
        try {
            stopped = stopping.await(millis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopped = true;
        }
        if (stopped) {
            throw new EventDeferredException("the application stops before event " + eventId
                    + " could be processed; it is delivered again after the restart", failure);
        }
    }

    /** The classes of the cause chain, and the first frame of the innermost one (where a bug was thrown). */
    static String summary(Throwable e) {
        StringBuilder text = new StringBuilder();
        Throwable innermost = e;
        for (Throwable t = e; t != null && text.length() < 400; t = t.getCause() == t ? null : t.getCause()) {
            text.append(text.isEmpty() ? "" : " <- ").append(t.getClass().getName());
            innermost = t;
        }
        StackTraceElement[] frames = innermost.getStackTrace();
        if (frames.length > 0) {
            text.append(" at ").append(frames[0]);
        }
        return text.toString();
    }

    /**
     * Records that {@code consumer} processes {@code eventId} in the current transaction; false when it did so
     * before. A concurrent duplicate waits for the first transaction and then sees it.
     */
    private boolean firstDelivery(String consumer, String eventId) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement insert = connection.prepareStatement(
                        "INSERT INTO inbox_event (consumer, event_id) VALUES (?, ?) ON CONFLICT DO NOTHING")) {
            insert.setString(1, consumer);
            insert.setString(2, eventId);
            return insert.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new IllegalStateException("could not record event " + eventId + " for " + consumer, e);
        }
    }
}
