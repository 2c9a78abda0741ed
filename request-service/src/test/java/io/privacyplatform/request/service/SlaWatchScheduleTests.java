package io.privacyplatform.request.service;

import static io.privacyplatform.request.RequestFixtures.at;
import static io.privacyplatform.request.RequestFixtures.clock;
import static io.privacyplatform.request.RequestFixtures.subject;
import static io.privacyplatform.request.RequestFixtures.submitted;
import static io.privacyplatform.request.RequestFixtures.verifiedBody;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.privacyplatform.events.EventEnvelope;
import io.privacyplatform.events.Topics;
import io.privacyplatform.events.payload.Notification;
import io.privacyplatform.request.RequestFixtures;
import io.privacyplatform.testing.PlatformTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * The {@code sla-check} timer itself, not a call of {@link SlaWatch#check()}: with a one-second interval and the
 * test clock moved across the warning day and the due date, the alerts go out by themselves, once each.
 */
@QuarkusTest
@TestProfile(SlaWatchScheduleTests.CheckEverySecond.class)
class SlaWatchScheduleTests {

    /** The tests of this module switch the timer off (%test); this profile alone runs it, every second. */
    public static class CheckEverySecond implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("requests.sla.check-every", "1s", "%test.requests.sla.check-every", "1s");
        }
    }

    /** Several passes of the one-second timer. */
    private static final Duration PASSES = Duration.ofSeconds(3);

    @Test
    void shouldRaiseTheSlaAlertsFromTheScheduler() {
        clock().set(at("2025-06-01T12:00:00Z"));
        String id = submitted("acme", verifiedBody("erasure", subject()));
        // Due 2025-07-01T12:00Z. Eleven days left: the timer runs, and sends nothing.
        clock().set(at("2025-06-20T12:00:00Z"));
        await().during(PASSES).atMost(PASSES.plusSeconds(5)).until(() -> alerts(id).isEmpty());

        clock().set(at("2025-06-24T12:00:00Z"));
        await().atMost(RequestFixtures.WAIT).until(() -> alerts(id).size() == 1);
        assertThat(alerts(id).get(0).params()).containsEntry("level", "due_soon").containsEntry("daysLeft", "7");

        clock().set(at("2025-07-01T12:00:01Z"));
        await().atMost(RequestFixtures.WAIT).until(() -> alerts(id).size() == 2);
        // More passes over the same state add nothing: one alert per level.
        await().during(PASSES).atMost(PASSES.plusSeconds(5)).until(() -> alerts(id).size() == 2);
        assertThat(alerts(id)).extracting(n -> n.params().get("level")).containsExactly("due_soon", "overdue");
        assertThat(alerts(id).get(1).params()).containsEntry("daysLeft", "0").containsEntry("status", "verified");
    }

    private static List<Notification> alerts(String id) {
        return PlatformTestResource.kafka().readAll(Topics.NOTIFICATION).stream()
                .map(r -> RequestFixtures.CODEC.decode(EventEnvelope.fromRecord(r), Notification.class))
                .filter(n -> id.equals(n.requestId()) && Notification.SLA_ALERT.equals(n.kind())).toList();
    }
}
