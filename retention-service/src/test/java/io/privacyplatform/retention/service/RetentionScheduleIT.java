package io.privacyplatform.retention.service;

import static io.privacyplatform.retention.RetentionFixtures.*;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.privacyplatform.events.Topics;
import io.privacyplatform.events.payload.CommandKind;
import io.privacyplatform.events.payload.PrivacyCommand;
import io.privacyplatform.events.payload.RightsRequestChanged;
import io.privacyplatform.testing.MutableClock;
import io.privacyplatform.testing.TestDatabase;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;

/**
 * The timers themselves ({@code command-sweep}, {@code policy-schedule}), not calls of the services they drive:
 * with one-second intervals and the test clock moved past a timeout or into the next window, the work happens by
 * itself, and only then.
 */
@QuarkusTest
@TestProfile(RetentionScheduleIT.EverySecond.class)
class RetentionScheduleIT {

    /** The tests of this module switch both timers off (%test); this profile alone runs them, every second. */
    public static class EverySecond implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("retention.commands.sweep-every", "1s", "%test.retention.commands.sweep-every", "1s",
                    "retention.policies.check-every", "1s", "%test.retention.policies.check-every", "1s");
        }
    }

    private static final Duration WAIT = Duration.ofSeconds(30);
    /** Several passes of the one-second timers. */
    private static final Duration PASSES = Duration.ofSeconds(3);

    @BeforeEach
    void cleanDataMap() {
        resetDataMap();
    }

    @Test
    void shouldResendAnUnansweredCommandFromTheSweepAfterItsTimeout() {
        String crm = unique("crm");
        registerSystem(crm, List.of("contact"), List.of("erase"), "PT30S");
        RightsRequestChanged request = verified("acme", "erasure", unique("subj"));
        send(Topics.RIGHTS_REQUEST, envelope(request));
        PrivacyCommand first = await().atMost(WAIT).until(() -> commandsOn(request.requestId()), c -> c.size() == 1)
                .get(0);
        assertThat(first.attempt()).isEqualTo(1);

        // Within the ack timeout the sweep runs and leaves the command alone.
        await().during(PASSES).atMost(PASSES.plusSeconds(5)).until(() -> commandsOn(request.requestId()).size() == 1);

        MutableClock.shared().advance(Duration.ofSeconds(31));
        List<PrivacyCommand> sent = await().atMost(WAIT).until(() -> commandsOn(request.requestId()),
                c -> c.size() == 2);
        assertThat(sent.get(1).commandId()).isEqualTo(first.commandId());
        assertThat(sent.get(1).attempt()).isEqualTo(2);
        assertThat(sent.get(1).targetSystem()).isEqualTo(crm);
        // Once per timeout: the next re-send waits for the next one.
        await().during(PASSES).atMost(PASSES.plusSeconds(5)).until(() -> commandsOn(request.requestId()).size() == 2);
        assertThat(TestDatabase.rows("SELECT attempts, state FROM subject_command WHERE command_id = ?",
                first.commandId()).get(0)).containsEntry("attempts", 2).containsEntry("state", "sent");
    }

    @Test
    void shouldRunADuePolicyOncePerWindowFromTheSchedule() {
        String log = unique("log");
        registerSystem(log, List.of("scheduled_headers"), List.of("purge"), "PT30S");
        // The frozen test clock a minute into a window: the runs below belong to known windows.
        Instant window = MutableClock.shared().instant().truncatedTo(ChronoUnit.HOURS).plus(Duration.ofHours(1));
        MutableClock.shared().set(window.plus(Duration.ofMinutes(1)));
        String policyId = unique("scheduled");
        given().header("Authorization", PLATFORM_ADMIN).contentType(ContentType.JSON)
                .body(Map.of("category", "scheduled_headers", "retain", "P7D", "basis", "legitimate interest"))
                .put("/v1/policies/{id}", policyId).then().statusCode(201);
        approvePurge(policyId);

        await().atMost(WAIT).until(() -> runs(policyId, window) == 1);
        PrivacyCommand purge = await().atMost(WAIT).until(() -> firstSends(log), c -> c.size() == 1).get(0);
        assertThat(purge.kind()).isEqualTo(CommandKind.PURGE);
        assertThat(purge.cutoff()).isEqualTo(window.plus(Duration.ofMinutes(1)).minus(Duration.ofDays(7)));
        // More passes in the same window run nothing again.
        await().during(PASSES).atMost(PASSES.plusSeconds(5)).until(() -> TestDatabase.count(
                "SELECT count(*) FROM policy_run WHERE policy_id = ?", policyId) == 1);
        assertThat(firstSends(log)).hasSize(1);

        MutableClock.shared().advance(Duration.ofHours(1));
        await().atMost(WAIT).until(() -> runs(policyId, window.plus(Duration.ofHours(1))) == 1);
        await().atMost(WAIT).until(() -> firstSends(log).size() == 2);
        assertThat(TestDatabase.count("SELECT count(*) FROM policy_run WHERE policy_id = ?", policyId)).isEqualTo(2);
    }

    @Test
    void shouldIssueTheErasureAnExpiredHoldDeferredFromTheSweep() {
        String archive = unique("archive");
        String category = unique("ledger");
        registerSystem(archive, List.of(category), List.of("erase"), "PT30S");
        RightsRequestChanged request = verified("acme", "erasure", unique("subj"));
        given().header("Authorization", io.privacyplatform.testing.TestTokens.bearer("acme", "operator"))
                .contentType(ContentType.JSON)
                .body(Map.of("subjectId", request.subjectId(), "categories", List.of(category), "reason", "audit",
                        "until", MutableClock.shared().instant().plus(Duration.ofDays(1)).toString()))
                .post("/v1/holds").then().statusCode(201);
        send(Topics.RIGHTS_REQUEST, envelope(request));
        await().atMost(WAIT).until(() -> "completed".equals(requestState(request.requestId())));

        // While the hold is in force the sweep passes leave the category alone.
        await().during(PASSES).atMost(PASSES.plusSeconds(5)).until(() -> commandsOn(archive).isEmpty());

        MutableClock.shared().advance(Duration.ofDays(2));
        PrivacyCommand erase = await().atMost(WAIT).until(() -> commandsOn(archive), c -> !c.isEmpty()).get(0);
        assertThat(erase.kind()).isEqualTo(CommandKind.ERASE);
        assertThat(erase.categories()).containsExactly(category);
        assertThat(erase.subject().subjectId()).isEqualTo(request.subjectId());
    }

    /** Commands to the system, without re-sends (nobody answers, and the sweep re-sends after a timeout). */
    private static List<PrivacyCommand> firstSends(String system) {
        return commandsOn(system).stream().filter(c -> c.attempt() == 1).toList();
    }

    /** Runs of the policy that the scheduler (not a manual call) made for the window starting at {@code start}. */
    private static long runs(String policyId, Instant start) {
        return TestDatabase.count("SELECT count(*) FROM policy_run WHERE policy_id = ? AND trigger = 'schedule'"
                + " AND window_start = ?::timestamptz", policyId, start.toString());
    }
}
