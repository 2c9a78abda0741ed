package io.privacyplatform.retention.service;

import static io.privacyplatform.retention.RetentionFixtures.*;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import io.privacyplatform.events.EventEnvelope;
import io.privacyplatform.events.RecordDigest;
import io.privacyplatform.events.Topics;
import io.privacyplatform.events.payload.AckOutcome;
import io.privacyplatform.events.payload.CommandAck;
import io.privacyplatform.events.payload.Notification;
import io.privacyplatform.events.payload.PrivacyCommand;
import io.privacyplatform.events.payload.RequestProgress;
import io.privacyplatform.events.payload.RightsRequestChanged;
import io.privacyplatform.events.subscriber.CommandResult;
import io.privacyplatform.retention.SimulatedStore;
import io.privacyplatform.testing.MutableClock;
import io.privacyplatform.testing.TestDatabase;
import io.privacyplatform.testing.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;

@QuarkusTest
class CommandTrackerIT {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Duration PAST_TIMEOUT = Duration.ofSeconds(31);

    @Inject
    CommandTracker tracker;

    @BeforeEach
    void cleanDataMap() {
        resetDataMap();
    }

    @Test
    void shouldRejectAcksNoAskedSystemSentAndCountAMultiPartExportOnce() {
        String crm = unique("crm");
        String mailLog = unique("mail-log");
        registerSystem(crm, List.of("contact"), List.of("export"), List.of("subjectId"));
        registerSystem(mailLog, List.of("email_headers"), List.of("export"), List.of("email"));
        RightsRequestChanged request = withoutEmail(verified("acme", "access", unique("subj")));
        String requestId = request.requestId();
        send(Topics.RIGHTS_REQUEST, envelope(request));
        PrivacyCommand toCrm = await().atMost(WAIT).until(() -> commandsOn(requestId), c -> c.size() == 1).get(0);
        String waitingId = await().atMost(WAIT).until(() -> progressOf(requestId), p -> !p.isEmpty()).get(0)
                .systems().stream().filter(s -> mailLog.equals(s.system())).findFirst().orElseThrow().commandId();
        String key = PSEUDONYM.of("acme", request.subjectId());
        Instant now = Instant.now();

        // An ack for no command, one naming another request, and one for the mail log's command, never sent.
        CommandAck unknown = new CommandAck("no-such-command", crm, "acme", requestId, AckOutcome.DONE, 3, null,
                null, null, now);
        CommandAck otherRequest = new CommandAck(toCrm.commandId(), crm, "acme", "another-request",
                AckOutcome.DONE, 3, null, null, JsonNodeFactory.instance.arrayNode(), now);
        CommandAck notAsked = new CommandAck(waitingId, mailLog, "acme", requestId, AckOutcome.NOT_FOUND, 0, null,
                null, JsonNodeFactory.instance.arrayNode(), now);
        // Then the crm's export in three parts, each with the same records and digest.
        CommandAck whole = new CommandAck(toCrm.commandId(), crm, "acme", requestId, AckOutcome.DONE, 7,
                RecordDigest.of("r-1", "r-2", "r-3", "r-4", "r-5", "r-6", "r-7"), null, null, now);
        List<EventEnvelope> acks = List.of(ackEnvelope(unknown, "acme", key), ackEnvelope(otherRequest, "acme", key),
                ackEnvelope(notAsked, "acme", key),
                ackEnvelope(whole.asPart(1, 3, chunk("r-1", "r-2", "r-3")), "acme", key),
                ackEnvelope(whole.asPart(2, 3, chunk("r-4", "r-5", "r-6")), "acme", key),
                ackEnvelope(whole.asPart(3, 3, chunk("r-7")), "acme", key));
        send(Topics.COMMAND_ACK, acks.toArray(EventEnvelope[]::new));

        await().atMost(WAIT).until(() -> TestDatabase.count("SELECT count(*) FROM inbox_event WHERE consumer ="
                + " 'retention-service/privacy.command.ack.v1' AND event_id IN (?, ?, ?, ?, ?, ?)",
                acks.stream().map(EventEnvelope::id).toArray()) == 6);
        assertThat(TestDatabase.rows("SELECT state, records FROM subject_command WHERE command_id = ?",
                toCrm.commandId()).get(0)).containsEntry("state", "done").containsEntry("records", 7L);
        assertThat(TestDatabase.rows("SELECT state, outcome FROM subject_command WHERE command_id = ?",
                waitingId).get(0)).containsEntry("state", "action_required").containsEntry("outcome", null);
        assertThat(TestDatabase.count("SELECT count(*) FROM subject_command WHERE command_id = 'no-such-command'"))
                .isZero();
        // The first progress, then one for the crm's answer: the rejected acks and the later parts changed nothing.
        List<RequestProgress> progress = await().atMost(WAIT).until(() -> progressOf(requestId),
                p -> p.size() >= 2);
        assertThat(progress).hasSize(2);
        assertThat(progress.get(1).state()).isEqualTo(RequestProgress.ACTION_REQUIRED);
        assertThat(progress.get(1).systems()).filteredOn(s -> crm.equals(s.system())).singleElement()
                .satisfies(s -> assertThat(s.records()).isEqualTo(7));
    }

    /** A verified erasure whose one system (ackTimeout PT30S) got its command and never answers: the command. */
    private static PrivacyCommand erasureSentToOneSilentSystem() {
        String silent = unique("silent");
        registerSystem(silent, List.of("contact"), List.of("erase"), "PT30S");
        RightsRequestChanged request = verified("acme", "erasure", unique("subj"));
        send(Topics.RIGHTS_REQUEST, envelope(request));
        return await().atMost(WAIT).until(() -> commandsOn(request.requestId()), c -> c.size() == 1).get(0);
    }

    private static ArrayNode chunk(String... ids) {
        ArrayNode chunk = JsonNodeFactory.instance.arrayNode();
        for (String id : ids) {
            chunk.addObject().put("id", id);
        }
        return chunk;
    }

    @Test
    void shouldResendAfterTimeoutThenMarkStuckAndAlertAndStillCompleteOnALateAck() {
        PrivacyCommand first = erasureSentToOneSilentSystem();
        String silent = first.targetSystem();
        String requestId = first.requestId();

        // Not yet overdue: nothing is re-sent.
        MutableClock.shared().advance(Duration.ofSeconds(10));
        assertThat(tracker.sweep()).isZero();

        // Each timeout re-sends the same command with the next attempt number, up to 5 sends in all.
        for (int attempt = 2; attempt <= 5; attempt++) {
            MutableClock.shared().advance(PAST_TIMEOUT);
            assertThat(tracker.sweep()).isEqualTo(1);
            int expected = attempt;
            List<PrivacyCommand> sent = await().atMost(WAIT).until(() -> commandsOn(requestId),
                    c -> c.size() == expected);
            assertThat(sent).extracting(PrivacyCommand::commandId).containsOnly(first.commandId());
            assertThat(sent.get(expected - 1).attempt()).isEqualTo(expected);
        }
        assertThat(TestDatabase.rows("SELECT state, attempts FROM subject_command WHERE command_id = ?",
                first.commandId()).get(0)).containsEntry("state", "sent").containsEntry("attempts", 5);

        // The fifth send also goes unanswered: stuck, with an alert that names no person.
        MutableClock.shared().advance(PAST_TIMEOUT);
        assertThat(tracker.sweep()).isEqualTo(1);
        assertThat(requestState(requestId)).isEqualTo(RequestProgress.STUCK);
        Notification alert = await().atMost(WAIT).until(() -> notificationsOf(requestId), n -> !n.isEmpty()).get(0);
        assertThat(alert.kind()).isEqualTo(Notification.STORE_STUCK);
        assertThat(alert.tenantId()).isEqualTo("acme");
        assertThat(alert.recipient()).isNull();
        assertThat(alert.subjectId()).isNull();
        assertThat(alert.params()).containsEntry("system", silent).containsEntry("commandId", first.commandId());
        RequestProgress stuck = await().atMost(WAIT).until(() -> progressOf(requestId),
                p -> p.stream().anyMatch(e -> RequestProgress.STUCK.equals(e.state()))).stream()
                .filter(e -> RequestProgress.STUCK.equals(e.state())).findFirst().orElseThrow();
        assertThat(stuck.systems()).singleElement().satisfies(s -> {
            assertThat(s.state()).isEqualTo("stuck");
            assertThat(s.attempts()).isEqualTo(5);
        });
        MutableClock.shared().advance(PAST_TIMEOUT);
        assertThat(tracker.sweep()).as("a stuck command is not re-sent by the sweep").isZero();

        // The store comes back: it answers the first copy (and repeats its answer for the other four).
        try (SimulatedStore store = SimulatedStore.erasing(silent, "rec-1")) {
            await().atMost(WAIT).until(() -> RequestProgress.COMPLETED.equals(requestState(requestId)));
            assertThat(store.handled()).hasSize(1);
        }
        assertThat(await().atMost(WAIT).until(() -> progressOf(requestId),
                p -> p.stream().anyMatch(e -> RequestProgress.COMPLETED.equals(e.state()))))
                .filteredOn(e -> RequestProgress.COMPLETED.equals(e.state())).hasSize(1);
        given().header("Authorization", TestTokens.bearer("acme", "app"))
                .get("/v1/requests/{id}/certificate", requestId).then().statusCode(200);
    }

    @Test
    void shouldNotResendAnOverdueCommandWhileItsAckMayBeInTheServicesOwnBacklog() {
        String requestId = erasureSentToOneSilentSystem().requestId();
        MutableClock.shared().advance(PAST_TIMEOUT);
        Instant now = MutableClock.shared().instant();

        // Behind (the ack clock runs five minutes late): the overdue command is not yet overdue for the sweep.
        assertThat(tracker.sweep(now.minus(Duration.ofMinutes(5)))).isZero();
        assertThat(TestDatabase.rows("SELECT state, attempts FROM subject_command WHERE request_id = ?", requestId)
                .get(0)).containsEntry("state", "sent").containsEntry("attempts", 1);

        // Caught up: it is re-sent.
        assertThat(tracker.sweep(now)).isEqualTo(1);
        assertThat(await().atMost(WAIT).until(() -> commandsOn(requestId), c -> c.size() == 2).get(1).attempt())
                .isEqualTo(2);
    }

    @Test
    void shouldResendAnOverdueCommandOnceWhenSweepsRace() throws Exception {
        String requestId = erasureSentToOneSilentSystem().requestId();
        MutableClock.shared().advance(PAST_TIMEOUT);
        // Three sweeps at once stand for three instances.
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(3);
        try {
            int handled = 0;
            java.util.concurrent.Callable<Integer> sweep = () -> tracker.sweep();
            for (java.util.concurrent.Future<Integer> result : pool.invokeAll(List.of(sweep, sweep, sweep))) {
                handled += result.get();
            }
            assertThat(handled).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
        assertThat(TestDatabase.rows("SELECT attempts FROM subject_command WHERE request_id = ?",
                requestId).get(0)).containsEntry("attempts", 2);
        List<PrivacyCommand> sent = await().atMost(WAIT).until(() -> commandsOn(requestId),
                c -> c.size() >= 2);
        assertThat(sent).hasSize(2);
    }

    @Test
    void shouldRetryAFailedCommandWithBackoffAndLetAnOperatorRedriveIt() {
        String flaky = unique("flaky");
        registerSystem(flaky, List.of("contact"), List.of("erase"), "PT30S");
        try (SimulatedStore store = SimulatedStore.answering(flaky, c -> CommandResult.failed("database busy"))) {
            RightsRequestChanged request = verified("acme", "erasure", unique("subj"));
            send(Topics.RIGHTS_REQUEST, envelope(request));
            await().atMost(WAIT).until(() -> TestDatabase.count("SELECT count(*) FROM subject_command"
                    + " WHERE request_id = ? AND state = 'retry'", request.requestId()) == 1);
            Map<String, Object> row = TestDatabase.rows("SELECT command_id, detail FROM subject_command"
                    + " WHERE request_id = ?", request.requestId()).get(0);
            assertThat(row).containsEntry("detail", "database busy");
            String commandId = (String) row.get("command_id");

            // The backoff (10 s after the first failure) has not passed: nothing yet.
            MutableClock.shared().advance(Duration.ofSeconds(5));
            assertThat(tracker.sweep()).isZero();
            for (int attempt = 2; attempt <= 5; attempt++) {
                MutableClock.shared().advance(Duration.ofMinutes(10));
                assertThat(tracker.sweep()).isEqualTo(1);
                int expected = attempt;
                await().atMost(WAIT).until(() -> store.handled().size() == expected);
                await().atMost(WAIT).until(() -> TestDatabase.count("SELECT count(*) FROM subject_command"
                        + " WHERE command_id = ? AND state IN ('retry', 'stuck') AND attempts = ?", commandId,
                        expected) == 1);
            }
            assertThat(requestState(request.requestId())).isEqualTo(RequestProgress.FAILED);
            assertThat(TestDatabase.rows("SELECT state FROM subject_command WHERE command_id = ?", commandId)
                    .get(0)).containsEntry("state", "stuck");

            // Another tenant's operator cannot see or redrive it; the tenant's operator can.
            given().header("Authorization", TestTokens.bearer("globex", "operator"))
                    .post("/v1/commands/{id}/redrive", commandId).then().statusCode(404);
            given().header("Authorization", TestTokens.bearer("acme", "operator"))
                    .post("/v1/commands/{id}/redrive", commandId).then().statusCode(200)
                    .body("commandId", org.hamcrest.Matchers.equalTo(commandId))
                    .body("attempts", org.hamcrest.Matchers.equalTo(6))
                    .body("state", org.hamcrest.Matchers.equalTo("sent"));
            await().atMost(WAIT).until(() -> store.handled().size() == 6);
            assertThat(store.handled()).extracting(PrivacyCommand::commandId).containsOnly(commandId);
            given().header("Authorization", TestTokens.bearer("acme", "operator"))
                    .get("/v1/requests/{id}/commands", request.requestId()).then().statusCode(200)
                    .body("commands[0].system", org.hamcrest.Matchers.equalTo(flaky))
                    .body("commands[0].attempts", org.hamcrest.Matchers.equalTo(6));
        }
    }
}
