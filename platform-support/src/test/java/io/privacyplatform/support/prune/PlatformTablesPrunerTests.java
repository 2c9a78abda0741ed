package io.privacyplatform.support.prune;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.LongSupplier;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.privacyplatform.events.EventCodec;
import io.privacyplatform.events.EventEnvelope;
import io.privacyplatform.events.Topics;
import io.privacyplatform.events.payload.CommandKind;
import io.privacyplatform.events.payload.CommandSubject;
import io.privacyplatform.events.payload.Notification;
import io.privacyplatform.events.payload.PrivacyCommand;
import io.privacyplatform.support.idempotency.IdempotentRequests;
import io.privacyplatform.support.testapp.TestStoreCommands;
import io.privacyplatform.testing.MutableClock;
import io.privacyplatform.testing.PlatformTestResource;
import io.privacyplatform.testing.TestDatabase;
import io.privacyplatform.testing.TestTokens;
import io.quarkus.scheduler.Scheduler;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/**
 * Each platform table keeps a row exactly as long as its retention (the defaults of {@link PruneConfig}): the test
 * writes a row the real way, moves the application clock to just before and just after the row's retention and
 * prunes. Only the test's own rows are asserted (the database is shared with the other tests).
 */
@QuarkusTest
class PlatformTablesPrunerTests {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Duration MARGIN = Duration.ofHours(1);
    private static final EventCodec CODEC = new EventCodec();

    @Inject
    PlatformTablesPruner pruner;

    @Inject
    Scheduler scheduler;

    private final MutableClock clock = MutableClock.shared();
    private final Instant started = clock.instant();

    @AfterEach
    void resetClock() {
        clock.set(started);
    }

    @Test
    void shouldForgetAProcessedEventIdOnlyAfterThirtyDays() {
        Notification payload = new Notification(UUID.randomUUID().toString(), "acme", "prune_test", null, null, null,
                Map.of(), Instant.now());
        EventEnvelope event = CODEC.envelope("/tests", "acme", "key-" + UUID.randomUUID(), payload);
        PlatformTestResource.kafka().send(event.toRecord(Topics.NOTIFICATION));
        String row = "SELECT processed_at FROM inbox_event WHERE event_id = ?";
        await().atMost(WAIT).until(() -> TestDatabase.rows(row, event.id()).size() == 1);
        Instant processedAt = stamp(row, "processed_at", event.id());

        assertKeptUntilThenPruned(PrunedTable.INBOX_EVENT, processedAt, Duration.ofDays(30),
                () -> TestDatabase.count("SELECT count(*) FROM inbox_event WHERE event_id = ?", event.id()));
    }

    @Test
    void shouldForgetAnIdempotencyKeyAndItsResponseAfterTwentyFourHoursSoTheKeyIsANewRequest() {
        String key = UUID.randomUUID().toString();
        String name = "prune-" + key.substring(0, 8);
        String firstId = createWidget(key, name).then().statusCode(201).extract().path("id");
        String row = "SELECT created_at FROM idempotency_key WHERE idempotency_key = ?";
        Instant createdAt = stamp(row, "created_at", key);

        assertKeptUntilThenPruned(PrunedTable.IDEMPOTENCY_KEY, createdAt, Duration.ofHours(24),
                () -> TestDatabase.count("SELECT count(*) FROM idempotency_key WHERE idempotency_key = ?", key));

        Response again = createWidget(key, name);
        again.then().statusCode(201);
        assertThat(again.header(IdempotentRequests.REPLAYED_HEADER)).isNull();
        assertThat(again.<String>path("id")).isNotEqualTo(firstId);
    }

    @Test
    void shouldDeleteASentOutboxRowAfterOneDay() {
        String eventId = createWidget(null, "outbox-" + UUID.randomUUID().toString().substring(0, 8)).then()
                .statusCode(201).extract().path("eventId");
        String row = "SELECT sent_at FROM outbox_event WHERE event_id = ? AND sent_at IS NOT NULL";
        await().atMost(WAIT).until(() -> TestDatabase.rows(row, eventId).size() == 1);
        Instant sentAt = stamp(row, "sent_at", eventId);

        assertKeptUntilThenPruned(PrunedTable.OUTBOX_EVENT, sentAt, Duration.ofDays(1),
                () -> TestDatabase.count("SELECT count(*) FROM outbox_event WHERE event_id = ?", eventId));
    }

    @Test
    void shouldForgetARememberedAckAfterNinetyDays() {
        PrivacyCommand erase = new PrivacyCommand(UUID.randomUUID().toString(), CommandKind.ERASE, "acme",
                TestStoreCommands.SYSTEM, "req-" + UUID.randomUUID(), new CommandSubject("subj-" + UUID.randomUUID(),
                        null), List.of(TestStoreCommands.DONE), null, null, Instant.now(), null, 1);
        PlatformTestResource.kafka().send(CODEC.envelope("/services/retention-service", "acme",
                "key-" + UUID.randomUUID(), erase).toRecord(Topics.COMMAND));
        String row = "SELECT remembered_at FROM store_command_outcome WHERE command_id = ?";
        await().atMost(WAIT).until(() -> TestDatabase.rows(row, erase.commandId()).size() == 1);
        Instant rememberedAt = stamp(row, "remembered_at", erase.commandId());

        assertKeptUntilThenPruned(PrunedTable.STORE_COMMAND_OUTCOME, rememberedAt, Duration.ofDays(90),
                () -> TestDatabase.count("SELECT count(*) FROM store_command_outcome WHERE command_id = ?",
                        erase.commandId()));
    }

    @Test
    void shouldScheduleThePruneInEveryService() {
        assertThat(scheduler.getScheduledJob(PlatformTablesPruner.JOB)).isNotNull();
    }

    /** Prunes with the clock just before the end of the retention (the row stays) and just after (it is gone). */
    private void assertKeptUntilThenPruned(PrunedTable table, Instant stamped, Duration retention, LongSupplier rows) {
        assertThat(rows.getAsLong()).isEqualTo(1);
        clock.set(stamped.plus(retention).minus(MARGIN));
        pruner.prune();
        assertThat(rows.getAsLong()).as("rows within the retention").isEqualTo(1);

        clock.set(stamped.plus(retention).plus(MARGIN));
        Map<PrunedTable, Integer> pruned = pruner.prune();
        assertThat(rows.getAsLong()).as("rows past the retention").isZero();
        assertThat(pruned.get(table)).as("counted as pruned from " + table).isPositive();
    }

    private static Instant stamp(String sql, String column, Object param) {
        return ((Timestamp) TestDatabase.rows(sql, param).get(0).get(column)).toInstant();
    }

    private static Response createWidget(String idempotencyKey, String name) {
        var request = RestAssured.given().header("Authorization", TestTokens.bearer("acme", "app"))
                .contentType(ContentType.JSON).body(Map.of("name", name));
        if (idempotencyKey != null) {
            request = request.header(IdempotentRequests.HEADER, idempotencyKey);
        }
        return request.post("/widgets");
    }
}
