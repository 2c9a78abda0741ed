package io.privacyplatform.consent.config;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

/** The consent service's own settings ({@code consent.*}). */
@ConfigMapping(prefix = "consent")
public interface ConsentConfig {

    /** Base URL under which people reach this service (unsubscribe links, receipt URLs). */
    @WithDefault("http://127.0.0.1:8081")
    String publicUrl();

    /** How far in the future an {@code occurredAt} may lie (clock skew between the app and this service). */
    @WithDefault("5s")
    Duration clockSkew();

    /** URL of the controller's privacy policy, quoted in receipts. */
    @WithDefault("https://example.com/privacy")
    String policyUrl();

    /** Jurisdiction quoted in receipts. */
    @WithDefault("EU")
    String jurisdiction();

    Controller controller();

    Unsubscribe unsubscribe();

    /** The data controller named in consent receipts. */
    interface Controller {

        @WithDefault("Privacy Platform")
        String name();

        @WithDefault("privacy@example.com")
        String contact();
    }

    interface Unsubscribe {

        /** How long an unsubscribe link works; afterwards it answers 410 {@code link_expired}. */
        @WithDefault("90d")
        Duration ttl();

        /** How often expired links are pruned (read by the {@code @Scheduled} expression). */
        @WithDefault("6h")
        String pruneInterval();
    }

    PolicyNotices policyNotices();

    Propagation propagation();

    /** Tracking which consent subscribers applied each decision, and alerting on late withdrawals. */
    interface Propagation {

        /**
         * How long a registered consent subscriber has to apply a withdrawal (acknowledge it on
         * {@code privacy.consent.applied.v1}) before it is overdue: listed, counted and alerted. An unsubscribe must
         * take effect promptly, so an hour by default.
         */
        @WithDefault("PT1H")
        Duration withdrawalDeadline();

        /** How often overdue withdrawals are looked for (read by the {@code @Scheduled} expression). */
        @WithDefault("30s")
        String checkEvery();

        /** Overdue withdrawals alerted per check at most (the rest follow at the next checks). */
        @WithDefault("500")
        @Min(1)
        @Max(10000)
        int alertBatchSize();
    }

    GroupCommit groupCommit();

    /**
     * Group commit of {@code POST /v1/consents}: concurrent single decisions share one transaction and one commit
     * (each still answered only after that commit), so the cost of a commit is paid once per batch, not per request.
     */
    interface GroupCommit {

        /** Off: every decision is its own transaction, as before. */
        @WithDefault("true")
        boolean enabled();

        /**
         * Writer threads, each committing its own batches. A subject always goes to the same writer (its lock stripe
         * mod writers), so its decisions keep their order and two writers never hold the same stripe. About the
         * number of cores: more writers mean more concurrent transactions, fewer mean larger batches.
         */
        @WithDefault("2")
        @Min(1)
        @Max(32)
        int writers();

        /**
         * Decisions per transaction at most. Each one runs in its own savepoint (a subtransaction); PostgreSQL keeps up
         * to 64 of a transaction's subtransactions in shared memory, beyond that every snapshot gets slower.
         */
        @WithDefault("64")
        @Min(1)
        @Max(64)
        int maxBatch();

        /**
         * How long a writer waits for more decisions once it has one (0: it takes what is queued and commits; while it
         * commits, the next batch queues up anyway).
         */
        @WithDefault("0ms")
        Duration maxWait();

        /** How long a request waits for its batch's commit before it answers 503 (it may still have been recorded). */
        @WithDefault("30s")
        Duration timeout();
    }

    /** Announcing a material policy version to every subject of the tenant, in batches after the PUT. */
    interface PolicyNotices {

        /**
         * Subjects per batch, one transaction each: bounded, so a batch's transaction and its outbox rows stay
         * small whatever the tenant's size (the service refuses to start outside 1…5000).
         */
        @WithDefault("500")
        @Min(1)
        @Max(5000)
        int batchSize();

        /** How often pending announcements are looked for (read by the {@code @Scheduled} expression). */
        @WithDefault("5s")
        String interval();
    }
}
