package io.privacyplatform.consent.service;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.Response;

import org.jboss.logging.Logger;

import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.privacyplatform.consent.config.ConsentConfig;
import io.privacyplatform.consent.repository.ConsentRecordRepository;
import io.privacyplatform.support.error.ApiException;
import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * Group commit of single consent decisions: concurrent requests share one transaction and one commit, and each is
 * answered only after that commit returned (its record, state, outbox row and {@code Idempotency-Key} row are
 * durable then).
 * <p>
 * A request's {@link #submit work} goes to the writer of its subject's lock stripe ({@code stripe mod writers}), so a
 * subject's decisions are recorded in the order they were queued, and two writers never hold the same stripe. A
 * writer takes what is queued (up to {@code consent.group-commit.max-batch}), locks the batch's stripes at once in
 * ascending order (like any other transaction taking stripes: no deadlock), and runs each piece of work inside its
 * own savepoint: work that throws an {@link ApiException} (validation, 409, 422, a reused key) is rolled back to its
 * savepoint, its key claim included, and answered with that error alone. Any other failure (an SQL error, a
 * deadlock, the commit) rolls the whole batch back, and every piece of work is run again alone in its own
 * transaction, as it would have been without group commit, so no request ever gets another's error.
 */
@ApplicationScoped
public class ConsentGroupCommit {

    private static final Logger LOG = Logger.getLogger(ConsentGroupCommit.class);

    @Inject
    ConsentConfig config;

    @Inject
    ConsentRecordRepository records;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    MeterRegistry meters;

    private final Object startLock = new Object();
    private volatile List<Writer> writers;
    private volatile boolean stopped;
    private DistributionSummary batchSizes;
    private Counter batchFailures;

    /** One request's work, with the subject whose stripe it needs and where its answer goes. */
    private record Work(int stripe, Supplier<Response> action, CompletableFuture<Response> answer) {
    }

    /**
     * Runs {@code action} (which writes the subject's decision in the caller's transaction and answers the HTTP
     * response) in a group-committed transaction holding the subject's lock stripe, and answers its response once
     * that transaction committed; an {@link ApiException} it threw is thrown here.
     */
    public Response submit(String tenantId, String subjectId, Supplier<Response> action) {
        int stripe = ConsentRecordRepository.stripeOf(tenantId, subjectId == null ? "" : subjectId);
        Work work = new Work(stripe, action, new CompletableFuture<>());
        List<Writer> all = writers();
        all.get(stripe % all.size()).queue.add(work);
        try {
            return work.answer.get(config.groupCommit().timeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException(e.getCause());
        } catch (TimeoutException e) {
            throw new ApiException(503, "not_committed_in_time",
                    "the decision was not committed in time; it may still be recorded: repeat the request with the"
                            + " same Idempotency-Key to learn its outcome", null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException(503, "shutting_down", "the service is stopping", null);
        }
    }

    private List<Writer> writers() {
        List<Writer> started = writers;
        if (started != null) {
            return started;
        }
        synchronized (startLock) {
            if (writers == null) {
                if (stopped) {
                    throw new ApiException(503, "shutting_down", "the service is stopping", null);
                }
                batchSizes = DistributionSummary.builder("consent.group_commit.batch_size")
                        .description("decisions per group-committed transaction").register(meters);
                batchFailures = Counter.builder("consent.group_commit.batch_failures")
                        .description("batches that failed as a whole, their decisions then run one by one")
                        .register(meters);
                List<Writer> created = new ArrayList<>();
                for (int i = 0; i < config.groupCommit().writers(); i++) {
                    Writer writer = new Writer();
                    Thread thread = new Thread(writer, "consent-group-commit-" + i);
                    thread.setDaemon(true);
                    writer.thread = thread;
                    created.add(writer);
                    thread.start();
                }
                writers = List.copyOf(created);
            }
            return writers;
        }
    }

    @PreDestroy
    void stop() {
        synchronized (startLock) {
            stopped = true;
            if (writers != null) {
                writers.forEach(writer -> writer.thread.interrupt());
            }
        }
    }

    /** One writer thread and its FIFO of work. */
    private final class Writer implements Runnable {

        final BlockingQueue<Work> queue = new LinkedBlockingQueue<>();
        Thread thread;

        @Override
        public void run() {
            List<Work> batch = new ArrayList<>();
            while (!stopped) {
                try {
                    batch.add(queue.take());
                    fill(batch);
                    commit(batch);
                } catch (InterruptedException e) {
                    break;
                } catch (RuntimeException | Error e) {
                    // Never leave a request waiting: whatever is unanswered gets the failure.
                    LOG.error("group commit failed", e);
                    batch.forEach(work -> work.answer.completeExceptionally(e));
                } finally {
                    batch.clear();
                }
            }
            List<Work> left = new ArrayList<>();
            queue.drainTo(left);
            left.forEach(work -> work.answer.completeExceptionally(
                    new ApiException(503, "shutting_down", "the service is stopping", null)));
        }

        /** Adds what is queued, up to the batch size, waiting at most max-wait for more once one is there. */
        private void fill(List<Work> batch) throws InterruptedException {
            int max = config.groupCommit().maxBatch();
            queue.drainTo(batch, max - batch.size());
            long waitNanos = config.groupCommit().maxWait().toNanos();
            long until = System.nanoTime() + waitNanos;
            while (waitNanos > 0 && batch.size() < max) {
                long left = until - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                Work more = queue.poll(left, TimeUnit.NANOSECONDS);
                if (more == null) {
                    break;
                }
                batch.add(more);
                queue.drainTo(batch, max - batch.size());
            }
        }
    }

    /** Commits the batch in one transaction, or each of its pieces of work alone when the batch as a whole fails. */
    private void commit(List<Work> batch) {
        batchSizes.record(batch.size());
        if (batch.size() == 1) {
            // Alone anyway: no savepoint needed.
            commitAlone(batch.get(0));
            return;
        }
        List<Outcome> outcomes;
        try {
            outcomes = QuarkusTransaction.requiringNew().call(() -> runInSavepoints(batch));
        } catch (RuntimeException e) {
            LOG.debugf(e, "a batch of %d decisions failed as a whole; each is run alone", batch.size());
            batchFailures.increment();
            batch.forEach(ConsentGroupCommit.this::commitAlone);
            return;
        }
        // Committed: every answer is durable now.
        for (int i = 0; i < batch.size(); i++) {
            outcomes.get(i).complete(batch.get(i).answer);
        }
    }

    private void commitAlone(Work work) {
        try {
            Response response = QuarkusTransaction.requiringNew().call(() -> {
                records.lockStripes(new int[] { work.stripe });
                return work.action.get();
            });
            work.answer.complete(response);
        } catch (RuntimeException e) {
            work.answer.completeExceptionally(e);
        }
    }

    /** A piece of work's answer or the {@link ApiException} it was refused with. */
    private record Outcome(Response response, ApiException refused) {

        void complete(CompletableFuture<Response> answer) {
            if (refused != null) {
                answer.completeExceptionally(refused);
            } else {
                answer.complete(response);
            }
        }
    }

    private List<Outcome> runInSavepoints(List<Work> batch) throws SQLException {
        records.lockStripes(batch.stream().mapToInt(Work::stripe).toArray());
        List<Outcome> outcomes = new ArrayList<>(batch.size());
        // The transaction's own connection (Agroal hands the enlisted one out again); savepoints as SQL, because
        // the JDBC savepoint calls are refused on a connection enlisted in a JTA transaction.
        try (Connection connection = dataSource.getConnection(); Statement savepoints = connection.createStatement()) {
            for (Work work : batch) {
                savepoints.execute("SAVEPOINT consent_decision");
                try {
                    outcomes.add(new Outcome(work.action.get(), null));
                } catch (ApiException refused) {
                    savepoints.execute("ROLLBACK TO SAVEPOINT consent_decision");
                    outcomes.add(new Outcome(null, refused));
                }
                // Not released: a released savepoint keeps its subtransaction until the end all the same, so RELEASE
                // would only cost a round trip.
            }
        }
        return outcomes;
    }
}
