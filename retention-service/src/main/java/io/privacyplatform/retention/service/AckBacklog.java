package io.privacyplatform.retention.service;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.privacyplatform.events.Topics;
import io.privacyplatform.support.health.ConsumerLagReader.GroupTopic;
import io.privacyplatform.support.health.DeliveryLag;
import io.privacyplatform.support.health.DeliveryLagSampler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Whether this service is itself behind on the way a command's answer travels: commands still in its outbox, or
 * acks on {@code privacy.command.ack.v1} its consumer has not read. While it is, an "overdue" command is most likely
 * answered already and its ack waiting in our own backlog; re-sending it then adds a command and an ack for every
 * store exactly when the service is slowest (bench/PROFILE.md: a third of all commands of a 1,000-erasure run were
 * such re-sends). Read from the delivery sampler's cached sample ({@code privacy.health.sample-every}), never from
 * the broker on the sweep's path.
 */
@ApplicationScoped
public class AckBacklog {

    /** Outbox rows older than this mean commands are leaving late. */
    static final Duration OUTBOX_LATE = Duration.ofSeconds(10);
    /** A sample older than this says nothing about now: the sweep then behaves as if nothing lagged. */
    static final Duration SAMPLE_VALID_FOR = Duration.ofMinutes(2);

    @Inject
    DeliveryLagSampler sampler;

    @Inject
    Clock clock;

    @ConfigProperty(name = "mp.messaging.incoming.command-acks.group.id")
    String ackGroup;

    /** Whether the latest sample shows commands leaving late or acks waiting unread. */
    public boolean behind() {
        return behind(sampler.latest(), new GroupTopic(ackGroup, Topics.COMMAND_ACK), Instant.now());
    }

    /** The clock the sweep would use for commands whose ack is awaited: now, or {@code grace} earlier while behind. */
    public Instant ackClock(Duration grace) {
        Instant now = clock.instant();
        return !grace.isZero() && behind() ? now.minus(grace) : now;
    }

    static boolean behind(DeliveryLag sample, GroupTopic acks, Instant now) {
        if (sample.sampledAt() == null || sample.sampledAt().isBefore(now.minus(SAMPLE_VALID_FOR))) {
            return false;
        }
        Long unreadAcks = sample.consumerLag().get(acks);
        boolean acksWaiting = unreadAcks != null && unreadAcks > 0;
        boolean commandsLate = sample.outbox() != null
                && sample.outbox().oldestUnsentSeconds() > OUTBOX_LATE.toSeconds();
        return acksWaiting || commandsLate;
    }
}
