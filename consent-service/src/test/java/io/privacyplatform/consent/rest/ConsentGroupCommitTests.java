package io.privacyplatform.consent.rest;

import static io.privacyplatform.consent.ConsentApi.as;
import static io.privacyplatform.consent.ConsentApi.decision;
import static io.privacyplatform.consent.ConsentApi.subject;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.MeterRegistry;
import io.privacyplatform.consent.ConsentApi;
import io.privacyplatform.events.Topics;
import io.privacyplatform.events.payload.ConsentChanged;
import io.privacyplatform.support.idempotency.IdempotentRequests;
import io.privacyplatform.testing.TestDatabase;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;

/**
 * Group commit of {@code POST /v1/consents}: one writer that waits long enough for the requests each test sends at
 * once to share a transaction (the batch-size metric shows they did), each answered alone and only after commit.
 */
@QuarkusTest
@TestProfile(ConsentGroupCommitTests.OneWriterWaiting.class)
class ConsentGroupCommitTests {

    public static class OneWriterWaiting implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("consent.group-commit.writers", "1", "consent.group-commit.max-wait", "300ms");
        }
    }

    @Inject
    MeterRegistry meters;

    @BeforeEach
    void catalog() {
        ConsentApi.catalog("acme");
    }

    /** One request: what it sends, and what to assert the moment its answer arrives. */
    private record Post(String body, String key, boolean gpc) {
        Response send() {
            var request = as("acme", "app").body(body);
            if (key != null) {
                request = request.header(IdempotentRequests.HEADER, key);
            }
            if (gpc) {
                request = request.header(ConsentResource.GPC_HEADER, "1");
            }
            return request.post("/v1/consents");
        }
    }

    @Test
    void shouldKeepOneSubjectsDecisionsInOrderAcrossABatchAndAnswerAfterCommit() throws Exception {
        String subject = subject();
        List<Post> posts = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            posts.add(new Post(decision(subject, i % 2 == 0 ? "newsletter" : "analytics",
                    i % 3 == 0 ? "withdrawn" : "granted"), null, false));
        }
        Batches before = batches();
        List<Answer> answers = sendAtOnce(posts);

        answers.forEach(answer -> assertThat(answer.status).isEqualTo(201));
        // Each row was visible from another connection the moment its 201 arrived: answered after commit.
        answers.forEach(answer -> assertThat(answer.visibleOnArrival).isTrue());
        assertThat(batches().since(before).sharedATransaction(12)).isTrue();

        List<String> ledgerOrder = TestDatabase.rows("SELECT consent_id::text AS cid FROM consent_record"
                + " WHERE subject_id = ? ORDER BY occurred_at, id", subject).stream()
                .map(r -> r.get("cid").toString()).toList();
        assertThat(TestDatabase.rows("SELECT consent_id::text AS cid FROM consent_record WHERE subject_id = ?"
                + " ORDER BY id", subject).stream().map(r -> r.get("cid").toString()).toList())
                .containsExactlyElementsOf(ledgerOrder);
        List<ConsentChanged> events = ConsentApi.events(Topics.CONSENT_CHANGED,
                ConsentApi.PSEUDONYM.of("acme", subject), ConsentChanged.class, e -> e.size() >= 12);
        assertThat(events).extracting(ConsentChanged::consentId).containsExactlyElementsOf(ledgerOrder);
    }

    @Test
    void shouldAnswerARefusedDecisionAloneAndRecordTheOthersOfItsBatch() throws Exception {
        String ok1 = subject();
        String unknownPurpose = subject();
        String gpcGrant = subject();
        String ok2 = subject();
        List<Post> posts = List.of(
                new Post(decision(ok1, "newsletter", "granted"), UUID.randomUUID().toString(), false),
                new Post(decision(unknownPurpose, "no-such-purpose", "granted"), UUID.randomUUID().toString(),
                        false),
                new Post(decision(gpcGrant, "ads", "granted"), UUID.randomUUID().toString(), true),
                new Post(decision(ok2, "ads", "withdrawn"), null, true));
        Batches before = batches();
        List<Answer> answers = sendAtOnce(posts);

        assertThat(batches().since(before).sharedATransaction(4)).isTrue();
        assertThat(answers.get(0).status).isEqualTo(201);
        assertThat(answers.get(1).status).isEqualTo(422);
        assertThat(answers.get(1).body).contains("unknown_purpose");
        assertThat(answers.get(2).status).isEqualTo(409);
        assertThat(answers.get(2).body).contains("gpc_conflict");
        assertThat(answers.get(3).status).isEqualTo(201);
        assertThat(answers.get(3).visibleOnArrival).isTrue();
        for (String subject : List.of(ok1, ok2)) {
            assertThat(TestDatabase.count("SELECT count(*) FROM consent_record WHERE subject_id = ?", subject))
                    .isEqualTo(1);
            ConsentApi.events(Topics.CONSENT_CHANGED, ConsentApi.PSEUDONYM.of("acme", subject),
                    ConsentChanged.class, e -> e.size() == 1);
        }
        for (String subject : List.of(unknownPurpose, gpcGrant)) {
            assertThat(TestDatabase.count("SELECT count(*) FROM consent_record WHERE subject_id = ?", subject))
                    .isZero();
        }
        // The refused requests' key claims went with their savepoints: the keys are free again.
        assertThat(TestDatabase.count("SELECT count(*) FROM idempotency_key WHERE idempotency_key IN (?, ?)",
                posts.get(1).key(), posts.get(2).key())).isZero();
        assertThat(TestDatabase.count("SELECT count(*) FROM idempotency_key WHERE idempotency_key = ?"
                + " AND status = 201", posts.get(0).key())).isEqualTo(1);
    }

    @Test
    void shouldReplayAnIdempotencyKeyUsedTwiceInOneBatch() throws Exception {
        String subject = subject();
        String key = UUID.randomUUID().toString();
        String reused = UUID.randomUUID().toString();
        String body = decision(subject, "newsletter", "granted");
        List<Post> posts = List.of(new Post(body, key, false), new Post(body, key, false),
                new Post(decision(subject, "analytics", "granted"), reused, false),
                new Post(decision(subject, "analytics", "denied"), reused, false));
        Batches before = batches();
        List<Answer> answers = sendAtOnce(posts);

        assertThat(batches().since(before).sharedATransaction(4)).isTrue();
        assertThat(answers.get(0).status).isEqualTo(201);
        assertThat(answers.get(1).status).isEqualTo(201);
        assertThat(answers.stream().limit(2).filter(a -> a.replayed)).hasSize(1);
        assertThat(answers.get(0).consentId).isEqualTo(answers.get(1).consentId);
        // The same key with another body: whichever came second is a 409, the first is recorded.
        assertThat(answers.subList(2, 4)).extracting(a -> a.status).containsExactlyInAnyOrder(201, 409);
        assertThat(TestDatabase.count("SELECT count(*) FROM consent_record WHERE subject_id = ?", subject))
                .isEqualTo(2);
    }

    @Test
    void shouldRunEveryDecisionAloneWhenTheDatabaseFailsOneOfABatch() throws Exception {
        String doomed = "explode-" + UUID.randomUUID();
        // A failure only PostgreSQL knows about: a trigger refusing this one subject's rows.
        TestDatabase.execute("""
                CREATE OR REPLACE FUNCTION refuse_doomed_subject() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                  IF NEW.subject_id LIKE 'explode-%' THEN RAISE EXCEPTION 'refused by test trigger'; END IF;
                  RETURN NEW;
                END $$""");
        TestDatabase.execute("CREATE TRIGGER refuse_doomed_subject BEFORE INSERT ON consent_record"
                + " FOR EACH ROW EXECUTE FUNCTION refuse_doomed_subject()");
        try {
            List<String> fine = List.of(subject(), subject(), subject());
            List<Post> posts = new ArrayList<>();
            fine.forEach(s -> posts.add(new Post(decision(s, "newsletter", "granted"), null, false)));
            posts.add(1, new Post(decision(doomed, "newsletter", "granted"), UUID.randomUUID().toString(), false));
            double failuresBefore = meters.counter("consent.group_commit.batch_failures").count();
            List<Answer> answers = sendAtOnce(posts);

            assertThat(meters.counter("consent.group_commit.batch_failures").count())
                    .isGreaterThan(failuresBefore);
            assertThat(answers.get(1).status).isEqualTo(500);
            assertThat(answers.get(1).body).contains("internal_error").doesNotContain("refused by test trigger");
            for (int i : new int[] { 0, 2, 3 }) {
                assertThat(answers.get(i).status).isEqualTo(201);
                assertThat(answers.get(i).visibleOnArrival).isTrue();
            }
            for (String subject : fine) {
                assertThat(TestDatabase.count("SELECT count(*) FROM consent_record WHERE subject_id = ?", subject))
                        .isEqualTo(1);
                ConsentApi.events(Topics.CONSENT_CHANGED, ConsentApi.PSEUDONYM.of("acme", subject),
                        ConsentChanged.class, e -> e.size() == 1);
            }
            assertThat(TestDatabase.count("SELECT count(*) FROM idempotency_key WHERE idempotency_key = ?",
                    posts.get(1).key())).isZero();
        } finally {
            TestDatabase.execute("DROP TRIGGER refuse_doomed_subject ON consent_record");
        }
    }

    /** What came back for one request, and whether its record was readable when it did. */
    private record Answer(int status, String body, boolean replayed, String consentId, boolean visibleOnArrival) {
    }

    /** Sends the posts at the same moment, one thread each; answers in the order of {@code posts}. */
    private static List<Answer> sendAtOnce(List<Post> posts) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(posts.size());
        try {
            List<Future<Answer>> sent = new ArrayList<>();
            for (Post post : posts) {
                Supplier<Answer> send = () -> {
                    Response response = post.send();
                    String consentId = response.statusCode() == 201 ? response.path("consentId") : null;
                    // Read at once from a separate connection: the answer must not come before the commit.
                    boolean visible = consentId != null && TestDatabase.count(
                            "SELECT count(*) FROM consent_record WHERE consent_id = ?::uuid", consentId) == 1;
                    return new Answer(response.statusCode(), response.asString(),
                            "true".equals(response.header(IdempotentRequests.REPLAYED_HEADER)), consentId, visible);
                };
                sent.add(pool.submit(send::get));
            }
            List<Answer> answers = new ArrayList<>();
            for (Future<Answer> answer : sent) {
                answers.add(answer.get());
            }
            return answers;
        } finally {
            pool.shutdownNow();
        }
    }

    /** The batch-size metric: how many batches and decisions so far. */
    private record Batches(long count, double decisions) {

        Batches since(Batches earlier) {
            return new Batches(count - earlier.count, decisions - earlier.decisions);
        }

        /** Whether these {@code decisions} went in fewer transactions than decisions. */
        boolean sharedATransaction(int sent) {
            return decisions == sent && count < sent;
        }
    }

    private Batches batches() {
        var summary = meters.find("consent.group_commit.batch_size").summary();
        return summary == null ? new Batches(0, 0) : new Batches(summary.count(), summary.totalAmount());
    }
}
