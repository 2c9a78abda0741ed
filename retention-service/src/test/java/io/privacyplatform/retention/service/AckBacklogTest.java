package io.privacyplatform.retention.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.privacyplatform.events.Topics;
import io.privacyplatform.support.health.BrokerState;
import io.privacyplatform.support.health.ConsumerLagReader.GroupTopic;
import io.privacyplatform.support.health.DeliveryLag;
import io.privacyplatform.support.health.OutboxBacklogRepository.OutboxBacklog;

class AckBacklogTest {

    private static final Instant NOW = Instant.parse("2026-12-02T10:00:00Z");
    private static final GroupTopic ACKS = new GroupTopic("retention-service", Topics.COMMAND_ACK);
    private static final OutboxBacklog EMPTY_OUTBOX = new OutboxBacklog(0, 0);

    @Test
    void shouldBeBehindWhileAcksWaitUnread() {
        assertThat(AckBacklog.behind(sample(NOW.minusSeconds(10), EMPTY_OUTBOX, 40), ACKS, NOW)).isTrue();
    }

    @Test
    void shouldBeBehindWhileCommandsLeaveTheOutboxLate() {
        assertThat(AckBacklog.behind(sample(NOW, new OutboxBacklog(300, 25), 0), ACKS, NOW)).isTrue();
        assertThat(AckBacklog.behind(sample(NOW, new OutboxBacklog(3, 0.4), 0), ACKS, NOW)).isFalse();
    }

    @Test
    void shouldNotBeBehindWhenCaughtUpOrWhenTheSampleSaysNothingAboutNow() {
        assertThat(AckBacklog.behind(sample(NOW, EMPTY_OUTBOX, 0), ACKS, NOW)).isFalse();
        assertThat(AckBacklog.behind(DeliveryLag.notSampled(), ACKS, NOW)).isFalse();
        assertThat(AckBacklog.behind(sample(NOW.minus(Duration.ofMinutes(3)), EMPTY_OUTBOX, 500), ACKS, NOW))
                .as("a stale sample").isFalse();
        assertThat(AckBacklog.behind(new DeliveryLag(NOW, BrokerState.UNREACHABLE, 0, EMPTY_OUTBOX, Map.of()), ACKS,
                NOW)).as("lag unknown").isFalse();
    }

    private static DeliveryLag sample(Instant at, OutboxBacklog outbox, long unreadAcks) {
        return new DeliveryLag(at, BrokerState.REACHABLE, 1, outbox,
                Map.of(ACKS, unreadAcks, new GroupTopic("retention-service", Topics.RIGHTS_REQUEST), 9L));
    }
}
