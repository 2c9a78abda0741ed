package io.privacyplatform.retention.service;

import static io.privacyplatform.retention.RetentionFixtures.*;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.privacyplatform.events.EventEnvelope;
import io.privacyplatform.events.Topics;
import io.privacyplatform.events.payload.CommandKind;
import io.privacyplatform.events.payload.PrivacyCommand;
import io.privacyplatform.retention.RunTrigger;
import io.privacyplatform.retention.SimulatedStore;
import io.privacyplatform.testing.MutableClock;
import io.privacyplatform.testing.PlatformTestResource;
import io.privacyplatform.testing.TestDatabase;
import io.privacyplatform.testing.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;

@QuarkusTest
class PolicyRunnerIT {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Inject
    PolicyRunner runner;

    @BeforeEach
    void cleanDataMap() {
        resetDataMap();
    }

    @Test
    void shouldSendOnePurgePerSystemWithTheCutoffAndNothingNewWhenRunTwiceInAWindow() {
        String logA = unique("log-a");
        String logB = unique("log-b");
        String noPurge = unique("no-purge");
        String other = unique("other");
        registerSystem(logA, List.of("mail_headers"), List.of("purge", "erase"), "PT30S");
        registerSystem(logB, List.of("mail_headers", "contact"), List.of("purge"), "PT30S");
        registerSystem(noPurge, List.of("mail_headers"), List.of("erase"), "PT30S");
        registerSystem(other, List.of("contact"), List.of("purge"), "PT30S");
        String policyId = unique("headers");
        given().header("Authorization", PLATFORM_ADMIN).contentType(ContentType.JSON)
                .body(Map.of("category", "mail_headers", "retain", "P35D", "basis", "legitimate interest"))
                .put("/v1/policies/{id}", policyId).then().statusCode(201).body("schedule", equalTo("PT1H"));
        String decisionId = approvePurge(policyId);

        // A minute into the next hourly window: the whole scenario stays inside one window, whenever it runs.
        Instant window = MutableClock.shared().instant().truncatedTo(ChronoUnit.HOURS).plus(Duration.ofHours(1));
        MutableClock.shared().set(window.plus(Duration.ofMinutes(1)));
        Instant now = MutableClock.shared().instant();
        String runId;
        try (SimulatedStore a = SimulatedStore.erasing(logA, "m-1", "m-2");
                SimulatedStore b = SimulatedStore.erasing(logB)) {
            runId = given().header("Authorization", PLATFORM_ADMIN).post("/v1/policies/{id}/runs", policyId)
                    .then().statusCode(201)
                    .body("created", equalTo(true))
                    .body("cutoff", equalTo(now.minus(Duration.ofDays(35)).toString()))
                    .body("commands", hasSize(2))
                    .extract().path("runId");
            await().atMost(WAIT).until(() -> "completed".equals(TestDatabase.rows(
                    "SELECT state FROM policy_run WHERE id = ?::uuid", runId).get(0).get("state")));
            assertThat(a.handled()).hasSize(1);
        }
        List<ConsumerRecord<String, byte[]>> records = PlatformTestResource.kafka().readAll(Topics.COMMAND);
        List<PrivacyCommand> purges = records.stream()
                .flatMap(r -> readable(r, PrivacyCommand.class).stream())
                .filter(c -> List.of(logA, logB, noPurge, other).contains(c.targetSystem())).toList();
        assertThat(purges).extracting(PrivacyCommand::targetSystem).containsExactlyInAnyOrder(logA, logB);
        assertThat(purges).allSatisfy(c -> {
            assertThat(c.kind()).isEqualTo(CommandKind.PURGE);
            assertThat(c.cutoff()).isEqualTo(now.minus(Duration.ofDays(35)));
            assertThat(c.categories()).containsExactly("mail_headers");
            assertThat(c.tenantId()).isEqualTo("platform");
            assertThat(c.subject()).isNull();
            assertThat(c.decisionId()).isEqualTo(decisionId);
        });
        assertThat(records.stream().filter(r -> readable(r, PrivacyCommand.class)
                .filter(c -> logA.equals(c.targetSystem())).isPresent())).allSatisfy(r -> assertThat(r.key()).isEqualTo("platform"));
        assertThat(TestDatabase.rows("SELECT records, outcome FROM subject_command WHERE policy_run_id = ?::uuid"
                + " AND system_id = ?", runId, logA).get(0)).containsEntry("records", 2L)
                .containsEntry("outcome", "DONE");

        // Again within the same window (and the scheduler too): the same run, no new command.
        MutableClock.shared().advance(Duration.ofSeconds(1));
        given().header("Authorization", PLATFORM_ADMIN).post("/v1/policies/{id}/runs", policyId)
                .then().statusCode(200)
                .body("created", equalTo(false))
                .body("runId", equalTo(runId));
        runner.runDue();
        assertThat(TestDatabase.count("SELECT count(*) FROM policy_run WHERE policy_id = ?", policyId)).isEqualTo(1);
        assertThat(TestDatabase.count("SELECT count(*) FROM subject_command WHERE policy_run_id = ?::uuid", runId))
                .isEqualTo(2);
        assertThat(TestDatabase.count("SELECT count(*) FROM subject_command WHERE system_id IN (?, ?, ?, ?)", logA,
                logB, noPurge, other)).isEqualTo(2);

        // The next window runs again, from the scheduler: one new run of this policy, in that window.
        MutableClock.shared().advance(Duration.ofHours(1));
        runner.runDue();
        assertThat(TestDatabase.count("SELECT count(*) FROM policy_run WHERE policy_id = ?", policyId)).isEqualTo(2);
        assertThat(TestDatabase.count("SELECT count(*) FROM policy_run WHERE policy_id = ? AND trigger = 'manual'"
                + " AND window_start = ?::timestamptz", policyId, window.toString())).isEqualTo(1);
        assertThat(TestDatabase.count("SELECT count(*) FROM policy_run WHERE policy_id = ? AND trigger = 'schedule'"
                + " AND window_start = ?::timestamptz", policyId, window.plus(Duration.ofHours(1)).toString()))
                .isEqualTo(1);
    }

    @Test
    void shouldNotPurgeACategoryWhileAHoldCoversItAndPurgeOnceReleased() {
        String category = unique("case_files");
        String archive = unique("archive");
        registerSystem(archive, List.of(category), List.of("purge"), "PT30S");
        String policyId = unique("cases");
        given().header("Authorization", PLATFORM_ADMIN).contentType(ContentType.JSON)
                .body(Map.of("category", category, "retain", "P30D", "basis", "contract"))
                .put("/v1/policies/{id}", policyId).then().statusCode(201);
        approvePurge(policyId);
        // One subject's hold in one tenant: the store purges by age for every account, so nothing of it goes.
        String holdId = given().header("Authorization", TestTokens.bearer("globex", "operator"))
                .contentType(ContentType.JSON)
                .body(Map.of("subjectId", unique("subj"), "categories", List.of(category), "reason", "litigation"))
                .post("/v1/holds").then().statusCode(201).extract().path("id");
        Instant window = MutableClock.shared().instant().truncatedTo(ChronoUnit.HOURS).plus(Duration.ofHours(1));
        MutableClock.shared().set(window.plus(Duration.ofMinutes(1)));
        given().header("Authorization", PLATFORM_ADMIN).post("/v1/policies/{id}/runs", policyId)
                .then().statusCode(201)
                .body("state", equalTo("completed"))
                .body("held", equalTo(List.of(archive)))
                .body("commands[0].state", equalTo("held"))
                .body("commands[0].detail", org.hamcrest.Matchers.containsString("legal hold"));
        assertThat(TestDatabase.count("SELECT count(*) FROM subject_command WHERE system_id = ? AND state <> 'held'",
                archive)).isZero();

        // Released: the next window's run purges.
        given().header("Authorization", TestTokens.bearer("globex", "operator")).queryParam("reason", "settled")
                .delete("/v1/holds/{id}", holdId).then().statusCode(200);
        MutableClock.shared().advance(Duration.ofHours(1));
        given().header("Authorization", PLATFORM_ADMIN).post("/v1/policies/{id}/runs", policyId)
                .then().statusCode(201).body("held", hasSize(0)).body("commands[0].state", equalTo("sent"));
        // One PURGE in all: the held run sent none.
        PrivacyCommand purge = await().atMost(WAIT).until(() -> commandsOn(archive), c -> !c.isEmpty()).get(0);
        assertThat(commandsOn(archive)).hasSize(1);
        assertThat(purge.kind()).isEqualTo(CommandKind.PURGE);
        assertThat(purge.categories()).containsExactly(category);
    }

    @Test
    void shouldPurgeWithTheRunTimeAsCutoffForPerRecordPolicies() {
        String surveys = unique("surveys");
        registerSystem(surveys, List.of("survey_answers"), List.of("purge"), "PT30S");
        String policyId = unique("survey");
        given().header("Authorization", PLATFORM_ADMIN).contentType(ContentType.JSON)
                .body(Map.of("category", "survey_answers", "retain", "per_record", "basis", "consent",
                        "schedule", "P1D"))
                .put("/v1/policies/{id}", policyId).then().statusCode(201);
        approvePurge(policyId);
        Instant now = MutableClock.shared().instant().truncatedTo(ChronoUnit.SECONDS);
        given().header("Authorization", PLATFORM_ADMIN).post("/v1/policies/{id}/runs", policyId)
                .then().statusCode(201).body("perRecord", equalTo(true)).body("cutoff", equalTo(now.toString()));
        PrivacyCommand purge = await().atMost(WAIT).until(() -> commandsOn(surveys), c -> c.size() == 1).get(0);
        assertThat(purge.cutoff()).isEqualTo(now);
    }

    @Test
    void shouldRunAWindowOnceWhenInstancesRaceForIt() throws Exception {
        String log = unique("log");
        registerSystem(log, List.of("race_headers"), List.of("purge"), "PT30S");
        String policyId = unique("race");
        given().header("Authorization", PLATFORM_ADMIN).contentType(ContentType.JSON)
                .body(Map.of("category", "race_headers", "retain", "P7D", "basis", "legitimate interest"))
                .put("/v1/policies/{id}", policyId).then().statusCode(201);
        approvePurge(policyId);
        // Four callers at once stand for several instances' schedulers and a manual run.
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            List<java.util.concurrent.Future<PolicyRunner.RunResult>> results = pool.invokeAll(List.of(
                    () -> runner.run(policyId, RunTrigger.SCHEDULE), () -> runner.run(policyId, RunTrigger.SCHEDULE),
                    () -> runner.run(policyId, RunTrigger.SCHEDULE), () -> runner.run(policyId, RunTrigger.MANUAL)));
            long created = 0;
            for (java.util.concurrent.Future<PolicyRunner.RunResult> result : results) {
                created += result.get().created() ? 1 : 0;
            }
            assertThat(created).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
        assertThat(TestDatabase.count("SELECT count(*) FROM policy_run WHERE policy_id = ?", policyId)).isEqualTo(1);
        assertThat(TestDatabase.count("SELECT count(*) FROM subject_command WHERE system_id = ?", log)).isEqualTo(1);
        assertThat(await().atMost(WAIT).until(() -> commandsOn(log), c -> !c.isEmpty())).hasSize(1);
    }

    @Test
    void shouldSendNoPurgeWithoutAPlatformAdminDecisionAndSayWhy() {
        String log = unique("log");
        registerSystem(log, List.of("undecided_headers"), List.of("purge"), "PT30S");
        String policyId = unique("undecided");
        given().header("Authorization", PLATFORM_ADMIN).contentType(ContentType.JSON)
                .body(Map.of("category", "undecided_headers", "retain", "P7D", "basis", "legitimate interest"))
                .put("/v1/policies/{id}", policyId).then().statusCode(201).body("decision", nullValue());
        Instant window = MutableClock.shared().instant().truncatedTo(ChronoUnit.HOURS).plus(Duration.ofHours(1));
        MutableClock.shared().set(window.plus(Duration.ofMinutes(1)));

        // A manual run is refused, nothing stored.
        given().header("Authorization", PLATFORM_ADMIN).post("/v1/policies/{id}/runs", policyId)
                .then().statusCode(409).body("error.code", equalTo("purge_decision_required"));
        assertThat(TestDatabase.count("SELECT count(*) FROM policy_run WHERE policy_id = ?", policyId)).isZero();
        // The scheduler records the window's run as sending nothing, and why; again in the window: the same run.
        runner.runDue();
        runner.runDue();
        assertThat(TestDatabase.rows("SELECT state, detail, decision_id FROM policy_run WHERE policy_id = ?",
                policyId)).singleElement().satisfies(run -> assertThat(run)
                        .containsEntry("state", "action_required")
                        .containsEntry("detail", PolicyRunner.NO_DECISION)
                        .containsEntry("decision_id", null));
        assertThat(TestDatabase.count("SELECT count(*) FROM subject_command WHERE system_id = ?", log)).isZero();

        // Decided within the window: the next run takes the window's run over and sends, carrying the decision.
        String decisionId = approvePurge(policyId);
        given().header("Authorization", PLATFORM_ADMIN).post("/v1/policies/{id}/runs", policyId)
                .then().statusCode(201)
                .body("created", equalTo(true))
                .body("state", equalTo("in_progress"))
                .body("decisionId", equalTo(decisionId))
                .body("detail", nullValue())
                .body("commands", hasSize(1));
        PrivacyCommand purge = await().atMost(WAIT).until(() -> commandsOn(log), c -> !c.isEmpty()).get(0);
        // The only command this system ever got (same key, same partition: an earlier one would come first).
        assertThat(commandsOn(log)).hasSize(1);
        assertThat(purge.kind()).isEqualTo(CommandKind.PURGE);
        assertThat(purge.tenantId()).isEqualTo("platform");
        assertThat(purge.decisionId()).isEqualTo(decisionId);
        assertThat(TestDatabase.count("SELECT count(*) FROM policy_run WHERE policy_id = ?", policyId)).isEqualTo(1);
    }

    @Test
    void shouldVoidTheDecisionWhenThePolicyChanges() {
        String log = unique("log");
        registerSystem(log, List.of("changing_headers"), List.of("purge"), "PT30S");
        String policyId = unique("changing");
        Map<String, Object> definition = Map.of("category", "changing_headers", "retain", "P7D", "basis",
                "legitimate interest");
        given().header("Authorization", PLATFORM_ADMIN).contentType(ContentType.JSON).body(definition)
                .put("/v1/policies/{id}", policyId).then().statusCode(201);
        String approved = approvePurge(policyId);
        String approvedDigest = given().header("Authorization", PLATFORM_ADMIN).get("/v1/policies/{id}", policyId)
                .then().statusCode(200).body("decision.decisionId", equalTo(approved))
                .body("decision.decidedBy", equalTo("platform-admin"))
                .body("decision.definition", containsString("\"retain\":\"P7D\""))
                .extract().path("definitionDigest");

        // The same definition again changes nothing: the decision stays in force.
        given().header("Authorization", PLATFORM_ADMIN).contentType(ContentType.JSON).body(definition)
                .put("/v1/policies/{id}", policyId).then().statusCode(200)
                .body("decision.decisionId", equalTo(approved));
        // A shorter retention is another definition: the decision is void, nothing runs, the old digest is refused.
        given().header("Authorization", PLATFORM_ADMIN).contentType(ContentType.JSON)
                .body(Map.of("category", "changing_headers", "retain", "P1D", "basis", "legitimate interest"))
                .put("/v1/policies/{id}", policyId).then().statusCode(200)
                .body("decision", nullValue())
                .body("definitionDigest", not(equalTo(approvedDigest)));
        assertThat(TestDatabase.rows("SELECT voided_reason FROM purge_decision WHERE id = ?::uuid", approved).get(0))
                .containsEntry("voided_reason", "policy changed by platform-admin");
        given().header("Authorization", PLATFORM_ADMIN).post("/v1/policies/{id}/runs", policyId)
                .then().statusCode(409).body("error.code", equalTo("purge_decision_required"));
        given().header("Authorization", PLATFORM_ADMIN).contentType(ContentType.JSON)
                .body(Map.of("reason", "approving what I read before", "definitionDigest", approvedDigest))
                .post("/v1/policies/{id}/approval", policyId)
                .then().statusCode(409).body("error.code", equalTo("policy_changed"));
        // Back to the approved definition: still void; only a new decision lets it purge.
        given().header("Authorization", PLATFORM_ADMIN).contentType(ContentType.JSON).body(definition)
                .put("/v1/policies/{id}", policyId).then().statusCode(200).body("decision", nullValue());
        runner.runDue();
        assertThat(TestDatabase.count("SELECT count(*) FROM subject_command WHERE system_id = ?", log)).isZero();

        String renewed = approvePurge(policyId);
        given().header("Authorization", PLATFORM_ADMIN).post("/v1/policies/{id}/runs", policyId)
                .then().statusCode(201).body("decisionId", equalTo(renewed));
        PrivacyCommand purge = await().atMost(WAIT).until(() -> commandsOn(log), c -> !c.isEmpty()).get(0);
        assertThat(commandsOn(log)).hasSize(1);
        assertThat(purge.decisionId()).isEqualTo(renewed);
    }

    @Test
    void shouldHaveLoadedTheDefaultPolicies() {
        given().header("Authorization", PLATFORM_ADMIN).get("/v1/policies").then().statusCode(200)
                .body("items.find { it.id == 'email_headers' }.retain", equalTo("P35D"))
                .body("items.find { it.id == 'email_sample' }.retain", equalTo("P35D"))
                .body("items.find { it.id == 'email_sample' }.schedule", equalTo("PT1H"));
    }
}
