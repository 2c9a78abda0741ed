package io.privacyplatform.consent.service;

import static io.privacyplatform.consent.ConsentApi.POLICY;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.privacyplatform.consent.ConsentApi;
import io.privacyplatform.consent.repository.ConsentRecordRepository;
import io.privacyplatform.testing.TestDatabase;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The ledger's write locks against the real PostgreSQL: a batch of any size holds a bounded number of advisory
 * locks (read from {@code pg_locks} inside its own transaction), records everything, and concurrent batches over the
 * same subjects finish without a deadlock.
 */
@QuarkusTest
class ConsentLedgerIT {

    @Inject
    ConsentLedger ledger;

    @Inject
    ConsentRecordRepository records;

    private String tenant;

    @BeforeEach
    void newTenant() {
        tenant = "locks-" + UUID.randomUUID().toString().substring(0, 8);
        ConsentApi.catalog(tenant);
    }

    @Test
    void shouldHoldAtMostTheLockStripesForAThousandItemBatchAndRecordEveryItem() {
        List<ConsentInput> batch = batch(subjects(ConsentLedger.MAX_BATCH), "granted");

        long held = QuarkusTransaction.requiringNew().call(() -> {
            ledger.record(tenant, batch, true, false);
            return records.subjectLocksHeld();
        });

        assertThat(held).isPositive().isLessThanOrEqualTo(ConsentRecordRepository.SUBJECT_LOCK_STRIPES);
        assertThat(TestDatabase.count("SELECT count(*) FROM consent_record WHERE tenant_id = ?", tenant))
                .isEqualTo(ConsentLedger.MAX_BATCH);
        assertThat(TestDatabase.count("SELECT count(*) FROM consent_current WHERE tenant_id = ?", tenant))
                .isEqualTo(ConsentLedger.MAX_BATCH);
    }

    @Test
    void shouldFinishConcurrentBatchesOverTheSameSubjectsWithoutDeadlock() throws Exception {
        List<String> subjects = subjects(400);
        List<String> reversed = new ArrayList<>(subjects);
        java.util.Collections.reverse(reversed);
        // Four batches at once, two in each order of the same subjects: per-subject locks taken in request order
        // would deadlock; stripes in ascending order cannot.
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<ConsentLedger.Outcome>> outcomes = pool.invokeAll(List.of(
                    () -> ledger.record(tenant, batch(subjects, "granted"), true, false),
                    () -> ledger.record(tenant, batch(reversed, "withdrawn"), true, false),
                    () -> ledger.record(tenant, batch(subjects, "denied"), true, false),
                    () -> ledger.record(tenant, batch(reversed, "granted"), true, false)),
                    Duration.ofSeconds(120).toSeconds(), TimeUnit.SECONDS);
            for (Future<ConsentLedger.Outcome> outcome : outcomes) {
                assertThat(outcome.get().records()).hasSize(subjects.size());
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(TestDatabase.count("SELECT count(*) FROM consent_record WHERE tenant_id = ?", tenant))
                .isEqualTo(4L * subjects.size());
        assertThat(TestDatabase.count("SELECT count(*) FROM consent_current WHERE tenant_id = ?", tenant))
                .isEqualTo(subjects.size());
    }

    private static List<String> subjects(int count) {
        return IntStream.range(0, count).mapToObj(i -> "subj-" + UUID.randomUUID()).toList();
    }

    private static List<ConsentInput> batch(List<String> subjects, String decision) {
        return subjects.stream().map(subject -> new ConsentInput(subject, "newsletter", decision, null, POLICY, "web",
                null, null)).toList();
    }
}
