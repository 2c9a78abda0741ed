package io.privacyplatform.retention.service;

import static io.privacyplatform.retention.RetentionFixtures.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.privacyplatform.events.EventEnvelope;
import io.privacyplatform.events.Topics;
import io.privacyplatform.events.payload.CommandKind;
import io.privacyplatform.events.payload.PrivacyCommand;
import io.privacyplatform.events.payload.RequestProgress;
import io.privacyplatform.events.payload.RightsRequestChanged;
import io.privacyplatform.events.subscriber.CommandResult;
import io.privacyplatform.retention.SimulatedStore;
import io.privacyplatform.testing.MutableClock;
import io.privacyplatform.testing.TestDatabase;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;

@QuarkusTest
class RestrictionLiftIT {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Inject
    CommandTracker tracker;

    @BeforeEach
    void cleanDataMap() {
        resetDataMap();
    }

    @Test
    void shouldSendLiftRestrictionOnceToEverySystemThatGotRestrict() {
        String crm = unique("crm");
        String billing = unique("billing");
        String eraseOnly = unique("erase-only");
        registerSystem(crm, List.of("contact", "marketing_profile"), List.of("restrict", "erase"), "PT30S");
        registerSystem(billing, List.of("billing"), List.of("restrict"), "PT30S");
        registerSystem(eraseOnly, List.of("contact"), List.of("erase"), "PT30S");
        RightsRequestChanged request = verified("acme", "restriction", unique("subj"));
        String requestId = request.requestId();

        try (SimulatedStore crmStore = SimulatedStore.answering(crm, c -> CommandResult.done(List.of("c-1")));
                SimulatedStore billingStore = SimulatedStore.answering(billing,
                        c -> CommandResult.done(List.of("b-1")))) {
            send(Topics.RIGHTS_REQUEST, envelope(request));
            await().atMost(WAIT).until(() -> "completed".equals(requestState(requestId)));

            // An operator lifts the restriction; the event arrives twice.
            EventEnvelope lifted = envelope(followUp(request, RightsRequestChanged.RESTRICTION_LIFTED, null));
            send(Topics.RIGHTS_REQUEST, lifted, lifted,
                    envelope(followUp(request, RightsRequestChanged.RESTRICTION_LIFTED, null)));
            await().atMost(WAIT).until(() -> TestDatabase.count("SELECT count(*) FROM subject_command"
                    + " WHERE request_id = ? AND kind = 'LIFT_RESTRICTION' AND state = 'done'", requestId) == 2);
            await().atMost(WAIT).until(() -> "completed".equals(requestState(requestId)));

            assertThat(crmStore.handled()).extracting(PrivacyCommand::kind)
                    .containsExactly(CommandKind.RESTRICT, CommandKind.LIFT_RESTRICTION);
            assertThat(billingStore.handled()).extracting(PrivacyCommand::kind)
                    .containsExactly(CommandKind.RESTRICT, CommandKind.LIFT_RESTRICTION);
        }

        List<PrivacyCommand> lifts = commandsOn(requestId).stream()
                .filter(c -> c.kind() == CommandKind.LIFT_RESTRICTION).toList();
        assertThat(lifts).extracting(PrivacyCommand::targetSystem).containsExactlyInAnyOrder(crm, billing);
        // The same data as the RESTRICT, found by the same subject (the address too, though the event has none).
        assertThat(lifts).filteredOn(c -> crm.equals(c.targetSystem())).singleElement().satisfies(c -> {
            assertThat(c.categories()).containsExactlyInAnyOrder("contact", "marketing_profile");
            assertThat(c.subject().subjectId()).isEqualTo(request.subjectId());
            assertThat(c.subject().email()).isEqualTo(request.contactEmail());
        });
        assertThat(TestDatabase.count("SELECT count(*) FROM subject_command WHERE request_id = ?", requestId))
                .isEqualTo(4);
        // Tracked like any command: progress in progress after the lift, then completed, with all four commands.
        List<RequestProgress> progress = await().atMost(WAIT).until(() -> progressOf(requestId),
                p -> p.stream().filter(e -> RequestProgress.COMPLETED.equals(e.state())).count() == 2);
        RequestProgress last = progress.get(progress.size() - 1);
        assertThat(last.state()).isEqualTo(RequestProgress.COMPLETED);
        assertThat(last.systems()).extracting(s -> s.kind()).containsExactlyInAnyOrder("RESTRICT", "RESTRICT",
                "LIFT_RESTRICTION", "LIFT_RESTRICTION");
        // Once lifted, nothing keeps the subject's id or address.
        assertThat(TestDatabase.count("SELECT count(*) FROM subject_command WHERE request_id = ?"
                + " AND payload IS NOT NULL", requestId)).isZero();
    }

    @Test
    void shouldStillResendAnUnansweredRestrictAfterTheLift() {
        String silent = unique("silent");
        registerSystem(silent, List.of("contact"), List.of("restrict"), "PT30S");
        RightsRequestChanged request = verified("acme", "restriction", unique("subj"));
        String requestId = request.requestId();
        send(Topics.RIGHTS_REQUEST, envelope(request));
        PrivacyCommand restrict = await().atMost(WAIT).until(() -> commandsOn(requestId), c -> c.size() == 1).get(0);

        send(Topics.RIGHTS_REQUEST, envelope(followUp(request, RightsRequestChanged.RESTRICTION_LIFTED, null)));
        await().atMost(WAIT).until(() -> commandsOn(requestId).size() == 2);

        // Both are open; the sweep re-sends both, the RESTRICT with the subject it kept (behind it on the topic,
        // a store that already took the first send ignores it by its id).
        MutableClock.shared().advance(Duration.ofSeconds(31));
        assertThat(tracker.sweep()).isEqualTo(2);
        List<PrivacyCommand> sent = await().atMost(WAIT).until(() -> commandsOn(requestId), c -> c.size() == 4);
        assertThat(sent).filteredOn(c -> c.commandId().equals(restrict.commandId())).extracting(c -> c.attempt())
                .containsExactly(1, 2);
        assertThat(sent).filteredOn(c -> c.kind() == CommandKind.LIFT_RESTRICTION).hasSize(2)
                .allSatisfy(c -> assertThat(c.subject().subjectId()).isEqualTo(request.subjectId()));
    }

    @Test
    void shouldKeepTheRestrictsSubjectOnlyUntilTheRestrictionIsLifted() {
        String crm = unique("crm");
        registerSystem(crm, List.of("contact"), List.of("restrict"), "PT30S");
        RightsRequestChanged request = verified("acme", "restriction", unique("subj"));
        try (SimulatedStore crmStore = SimulatedStore.answering(crm, c -> CommandResult.done(List.of("c-1")))) {
            send(Topics.RIGHTS_REQUEST, envelope(request));
            await().atMost(WAIT).until(() -> "completed".equals(requestState(request.requestId())));
        }
        // Completed, but still restricted: the stored RESTRICT keeps whom to lift it for.
        assertThat(TestDatabase.count("SELECT count(*) FROM subject_command WHERE request_id = ?"
                + " AND kind = 'RESTRICT' AND payload IS NOT NULL", request.requestId())).isEqualTo(1);
    }
}
