package io.privacyplatform.support.inbox;

import java.util.function.BiConsumer;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.reactive.messaging.Metadata;
import org.jboss.logging.Logger;

import io.smallrye.common.annotation.Identifier;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.IncomingKafkaRecord;
import io.smallrye.reactive.messaging.kafka.KafkaConnectorIncomingConfiguration;
import io.smallrye.reactive.messaging.kafka.KafkaConsumer;
import io.smallrye.reactive.messaging.kafka.fault.KafkaFailureHandler;
import io.vertx.mutiny.core.Vertx;

/**
 * The failure strategy of every incoming Kafka channel ({@code failure-strategy=privacy-dead-letter-queue}): SmallRye's
 * dead-letter queue, except for a record whose processing was only deferred ({@link EventDeferredException}: the
 * application stopped while the record waited for its database). Such a record is neither copied to the
 * {@code .dlq} nor acknowledged, so its offset is not committed and it is delivered again after the restart.
 * <p>
 * Every other failure is dead-lettered exactly as SmallRye does it (same topic, same {@code dead-letter-*} headers):
 * {@link EventInbox} lets only the event's own faults propagate.
 */
@ApplicationScoped
@Identifier(DeferringDeadLetterQueue.STRATEGY)
public class DeferringDeadLetterQueue implements KafkaFailureHandler.Factory {

    public static final String STRATEGY = "privacy-dead-letter-queue";

    private static final Logger LOG = Logger.getLogger(DeferringDeadLetterQueue.class);

    @Inject
    @Identifier(KafkaFailureHandler.Strategy.DEAD_LETTER_QUEUE)
    KafkaFailureHandler.Factory deadLetterQueue;

    @Override
    public KafkaFailureHandler create(KafkaConnectorIncomingConfiguration config, Vertx vertx,
            KafkaConsumer<?, ?> consumer, BiConsumer<Throwable, Boolean> reportFailure) {
        return new Handler(config.getChannel(), deadLetterQueue.create(config, vertx, consumer, reportFailure));
    }

    static final class Handler implements KafkaFailureHandler {

        private final String channel;
        private final KafkaFailureHandler deadLetters;

        Handler(String channel, KafkaFailureHandler deadLetters) {
            this.channel = channel;
            this.deadLetters = deadLetters;
        }

        @Override
        public <K, V> Uni<Void> handle(IncomingKafkaRecord<K, V> record, Throwable reason, Metadata metadata) {
            if (reason instanceof EventDeferredException) {
                LOG.infof("channel %s: record %s-%d@%d left uncommitted for the next consumer (the application"
                        + " stops)", channel, record.getTopic(), record.getPartition(), record.getOffset());
                return Uni.createFrom().voidItem();
            }
            return deadLetters.handle(record, reason, metadata);
        }

        @Override
        public void terminate() {
            deadLetters.terminate();
        }
    }
}
