package io.privacyplatform.bench;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.kafka.clients.admin.Admin;

import com.fasterxml.jackson.databind.JsonNode;

import io.privacyplatform.events.Ed25519Keys;
import io.privacyplatform.events.TopicAccess;
import io.privacyplatform.events.TopicAccessSetup;
import io.privacyplatform.events.keys.JdbcSubjectKeys;
import io.privacyplatform.events.keys.SubjectKeys;

/**
 * Issue 13, item 3: N verified erasure requests against the platform with {@code --stores} simulated stores on
 * the subscriber kit ({@link BenchStore}) besides the platform's own stores, until every request is
 * {@code completed}.
 * <ol>
 * <li>Each store gets a Kafka principal {@code bench-store-<n>} (SCRAM user + the ACLs of
 * {@code TopicAccess.externalStore}, put on the broker with the admin login, password kept in the local run's
 * credentials directory), its table, its subscriber, and puts itself on retention-service's data map with its own
 * store token (as platform-support's StoreRegistration does for mail-log-store), ack key included.</li>
 * <li>The stores are seeded with {@code --rows} rows for each of the N subjects (and a few control subjects that no
 * request names).</li>
 * <li>{@code --preload P}: P erasures are submitted and awaited first (not measured): data already stored.</li>
 * <li>N requests ({@code type erasure}, identity vouched for by the app, contact e-mail so that stores indexed by
 * address are searched too) go to request-service with {@code --concurrency} in flight: accepted/s.</li>
 * <li>Polled (the newest verified / in_progress request of this run, 1/s) until none is open or
 * {@code --timeout}; then every request of the run is read through the list endpoint: final status, and
 * {@code outcome.closedAt - receivedAt} (server clock) per completed one.</li>
 * <li>The stores' tables are counted: every row of an erased subject must be gone, every control row there.</li>
 * </ol>
 */
public final class ErasureFanout {

    private final Options options;
    private final Rest rest = new Rest(8);
    private final String requestUrl;
    private final String retentionUrl;
    private final String appToken;
    private final String operatorToken;
    private final String platformAdminToken;
    private final String jdbcUrl;
    private final int stores;
    private final int rowsPerSubject;
    private final String run = HexFormat.of().formatHex(new SecureRandom().generateSeed(4));

    private ErasureFanout(Options options) throws IOException {
        this.options = options;
        this.requestUrl = options.text("request-url");
        this.retentionUrl = options.text("retention-url");
        this.appToken = Rest.token(options.path("app-token-file"));
        this.operatorToken = Rest.token(options.path("operator-token-file"));
        this.platformAdminToken = Rest.token(options.path("platform-admin-token-file"));
        this.jdbcUrl = options.text("jdbc-url");
        this.stores = options.integer("stores", 5);
        this.rowsPerSubject = options.integer("rows", 3);
    }

    public static void main(String[] args) throws Exception {
        int code = new ErasureFanout(new Options(args)).run();
        System.exit(code);
    }

    private int run() throws Exception {
        int count = options.integer("count", 10_000);
        int preload = options.integer("preload", 0);
        int concurrency = options.integer("concurrency", 32);
        Duration timeout = Duration.ofSeconds(options.integer("timeout", 180));
        Properties kafka = KafkaSettings.load(options.path("kafka-config"));
        Figures figures = new Figures();

        BenchStore.createTables(jdbcUrl, stores);
        // The local run's key store (run.sh's privacy_keys database and master key): commands travel sealed.
        SubjectKeys keys = JdbcSubjectKeys.fromSettings(Map.of(JdbcSubjectKeys.JDBC_URL, options.text("keys-jdbc-url"),
                JdbcSubjectKeys.USERNAME, "postgres",
                JdbcSubjectKeys.MASTER_KEY, Files.readString(options.path("keys-master-key-file")).strip()));
        Map<String, String> passwords = kafkaPrincipals(kafka);
        List<BenchStore> running = new ArrayList<>();
        try {
            for (int n = 1; n <= stores; n++) {
                BenchStore store = new BenchStore(n, jdbcUrl, kafka, passwords.get("bench-store-" + n),
                        options.path("signing-dir").resolve("bench-store-" + n + ".pem"), keys);
                store.start();
                running.add(store);
                register(store.system);
            }
            figures.put("systems-per-erasure", erasingSystems());

            if (preload > 0) {
                log("preload: " + preload + " erasures (not measured)");
                List<String> subjects = subjects("pre", preload);
                seed(subjects);
                Instant from = Instant.now();
                Submission pre = submit(subjects, concurrency);
                awaitClosed(from, pre.ids().keySet(), timeout.multipliedBy(4));
            }

            List<String> subjects = subjects("run", count);
            List<String> control = subjects("control", 10);
            seed(subjects);
            seed(control);
            log("seeded " + stores + " stores with " + rowsPerSubject + " rows for each of " + count + " subjects");

            Instant start = Instant.now();
            Submission submission = submit(subjects, concurrency);
            figures.put("accepted", submission.ids().size());
            figures.put("submit-errors", submission.errors());
            figures.put("accepted-per-second", submission.ids().size() / submission.seconds());
            log(String.format("accepted %d in %.1f s, %d errors; waiting for completion", submission.ids().size(),
                    submission.seconds(), submission.errors()));
            boolean allClosed = awaitClosed(start, submission.ids().keySet(), timeout);
            double waited = Duration.between(start, Instant.now()).toMillis() / 1000.0;

            Map<String, JsonNode> views = readBack(start, submission.ids().keySet());
            Map<String, Integer> byStatus = new TreeMap<>();
            List<Double> toCompleted = new ArrayList<>();
            Instant lastClosed = null;
            for (String id : submission.ids().keySet()) {
                JsonNode view = views.get(id);
                String status = view == null ? "unlisted" : view.path("status").asText();
                byStatus.merge(status, 1, Integer::sum);
                if (status.equals("completed")) {
                    Instant received = Instant.parse(view.path("receivedAt").asText());
                    Instant closed = Instant.parse(view.path("outcome").path("closedAt").asText());
                    toCompleted.add(Duration.between(received, closed).toMillis() / 1000.0);
                    lastClosed = lastClosed == null || closed.isAfter(lastClosed) ? closed : lastClosed;
                }
            }
            Percentiles p = new Percentiles(toCompleted.stream().mapToDouble(Double::doubleValue).toArray());
            boolean allCompleted = byStatus.getOrDefault("completed", 0) == count;
            figures.put("all-completed", Boolean.toString(allCompleted));
            figures.put("all-completed-seconds", allCompleted && lastClosed != null
                    ? Duration.between(start, lastClosed).toMillis() / 1000.0 : Double.NaN);
            figures.put("waited-seconds", waited);
            figures.put("closed-within-timeout", Boolean.toString(allClosed));
            figures.put("request-to-completed-p50-s", p.at(50));
            figures.put("request-to-completed-p99-s", p.at(99));
            figures.put("request-to-completed-max-s", p.max());
            byStatus.forEach((status, n) -> figures.put("status-" + status, n));

            // A completed request's subject must have no row left in any bench store (a "completed" must be true);
            // still-open requests and refused submissions are counted apart, for information.
            List<String> completedSubjects = new ArrayList<>();
            List<String> openSubjects = new ArrayList<>();
            submission.ids().forEach((id, subject) -> {
                JsonNode view = views.get(id);
                (view != null && view.path("status").asText().equals("completed") ? completedSubjects : openSubjects)
                        .add(subject);
            });
            Set<String> accepted = new java.util.HashSet<>(submission.ids().values());
            List<String> refused = subjects.stream().filter(s -> !accepted.contains(s)).toList();
            long left = rowsLeft(completedSubjects);
            long controlLeft = rowsLeft(control);
            figures.put("store-rows-of-open-requests", rowsLeft(openSubjects));
            figures.put("store-rows-of-refused-submissions", rowsLeft(refused));
            figures.put("store-rows-left", left);
            figures.put("store-control-rows-left", controlLeft);
            figures.put("store-control-rows-expected", (long) control.size() * rowsPerSubject * stores);
            if (left != 0) {
                log("ERROR: " + left + " rows of subjects whose erasure is completed are still there");
            }
            figures.write(options.path("out"));
            return 0;
        } finally {
            for (BenchStore store : running) {
                store.close();
            }
            if (!options.flag("keep-stores")) {
                deregister();
            }
        }
    }

    // ----- setup -------------------------------------------------------------------------------------------------

    /**
     * SCRAM users bench-store-1..n with exactly the ACLs a store on the kit gets ({@code TopicAccess.externalStore}),
     * applied with the local run's admin login; each password made once (random, owner-only) in the credentials
     * directory next to the services' and kept, as run.sh does for its principals.
     */
    private Map<String, String> kafkaPrincipals(Properties admin) throws Exception {
        Path dir = options.path("credentials-dir");
        Map<String, String> passwords = new LinkedHashMap<>();
        List<TopicAccess.Client> clients = new ArrayList<>();
        for (int n = 1; n <= stores; n++) {
            String principal = "bench-store-" + n;
            Path file = dir.resolve(principal + ".password");
            if (!Files.exists(file)) {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                Files.writeString(file, HexFormat.of().formatHex(new SecureRandom().generateSeed(24)));
            }
            passwords.put(principal, Files.readString(file).strip());
            clients.add(TopicAccess.externalStore(principal));
        }
        try (Admin client = Admin.create(admin)) {
            TopicAccessSetup.Result result = TopicAccessSetup.apply(client, passwords, TopicAccess.grants(clients));
            log("Kafka: " + result.principals() + " bench store principals, " + result.grants() + " ACLs");
        }
        return passwords;
    }

    /** {@code PUT /v1/systems/<system>} with the store's own token, as StoreRegistration does for a platform store. */
    private void register(String system) throws Exception {
        String token = Rest.token(options.path("store-token-dir").resolve("store-" + system + ".jwt"));
        String ackKey = Ed25519Keys.publicKeyBase64(Ed25519Keys.publicOf(Ed25519Keys.readPrivate(
                options.path("signing-dir").resolve(system + ".pem"))));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("description", "bench store (bench/erasure-fanout.sh)");
        body.put("owner", "bench");
        body.put("region", "EEA");
        body.put("categories", List.of("bench_records"));
        body.put("capabilities", List.of("erase"));
        body.put("ackTimeout", options.text("ack-timeout", "PT30S"));
        body.put("identifiers", List.of("subjectId"));
        body.put("ackPublicKey", ackKey);
        Rest.Answer answer = rest.send("PUT", retentionUrl + "/v1/systems/" + system, token,
                Rest.JSON.writeValueAsString(body));
        if (answer.status() / 100 != 2) {
            throw new IllegalStateException("registering " + system + " answered " + answer.status() + ": "
                    + answer.body());
        }
    }

    /** How many systems on the data map an erasure goes to (erase capability, at least one category). */
    private long erasingSystems() throws Exception {
        Rest.Answer answer = rest.get(retentionUrl + "/v1/systems", platformAdminToken);
        long n = 0;
        for (JsonNode system : answer.json().path("items")) {
            boolean erase = false;
            for (JsonNode c : system.path("capabilities")) {
                erase |= c.asText().equals("erase");
            }
            if (erase && system.path("categories").size() > 0) {
                n++;
            }
        }
        return n;
    }

    private void deregister() {
        for (int n = 1; n <= stores; n++) {
            try {
                Rest.Answer answer = rest.send("DELETE", retentionUrl + "/v1/systems/bench-store-" + n,
                        platformAdminToken, null);
                if (answer.status() / 100 != 2 && answer.status() != 404) {
                    log("warn: bench-store-" + n + " stays on the data map: " + answer.status() + " " + answer.body());
                }
            } catch (Exception e) {
                log("warn: deregistering bench-store-" + n + " failed: " + e);
            }
        }
    }

    private List<String> subjects(String kind, int n) {
        List<String> subjects = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            subjects.add("bench-" + run + "-" + kind + "-" + i);
        }
        return subjects;
    }

    private void seed(List<String> subjects) throws Exception {
        try (Connection c = DriverManager.getConnection(jdbcUrl, "postgres", "")) {
            c.setAutoCommit(false);
            for (int n = 1; n <= stores; n++) {
                try (PreparedStatement insert = c.prepareStatement(
                        "INSERT INTO bench_store_" + n + " (tenant_id, subject_id, item) VALUES ('acme', ?, ?)")) {
                    int batched = 0;
                    for (String subject : subjects) {
                        for (int r = 0; r < rowsPerSubject; r++) {
                            insert.setString(1, subject);
                            insert.setString(2, "item " + r + " of " + subject);
                            insert.addBatch();
                            if (++batched % 5000 == 0) {
                                insert.executeBatch();
                            }
                        }
                    }
                    insert.executeBatch();
                }
            }
            c.commit();
        }
    }

    private long rowsLeft(List<String> subjects) throws Exception {
        long left = 0;
        try (Connection c = DriverManager.getConnection(jdbcUrl, "postgres", "")) {
            for (int n = 1; n <= stores; n++) {
                try (PreparedStatement count = c.prepareStatement("SELECT count(*) FROM bench_store_" + n
                        + " WHERE tenant_id = 'acme' AND subject_id = ANY (?)")) {
                    count.setArray(1, c.createArrayOf("text", subjects.toArray()));
                    try (ResultSet row = count.executeQuery()) {
                        row.next();
                        left += row.getLong(1);
                    }
                }
            }
        }
        return left;
    }

    // ----- the load --------------------------------------------------------------------------------------------

    /** Request id -> subject of every 201, how long the submission took, how many answered otherwise. */
    record Submission(Map<String, String> ids, long errors, double seconds) {
    }

    private Submission submit(List<String> subjects, int concurrency) throws Exception {
        Map<String, String> ids = new ConcurrentHashMap<>();
        AtomicLong errors = new AtomicLong();
        Semaphore inFlight = new Semaphore(concurrency);
        Map<Integer, String> firstErrors = new ConcurrentHashMap<>();
        long t0 = System.nanoTime();
        for (String subject : subjects) {
            inFlight.acquire();
            String body = "{\"type\":\"erasure\",\"subjectId\":\"" + subject + "\",\"contactEmail\":\"" + subject
                    + "@bench.example\",\"regulation\":\"gdpr\",\"identityVerified\":true,\"verifiedBy\":\"bench\"}";
            rest.postAsync(requestUrl + "/v1/requests", appToken, body).whenComplete((answer, failure) -> {
                try {
                    if (failure == null && answer.status() == 201) {
                        ids.put(answer.json().path("requestId").asText(), subject);
                    } else {
                        errors.incrementAndGet();
                        firstErrors.putIfAbsent(failure == null ? answer.status() : -1,
                                failure == null ? answer.body() : failure.toString());
                    }
                } finally {
                    inFlight.release();
                }
            });
        }
        inFlight.acquire(concurrency);
        double seconds = (System.nanoTime() - t0) / 1e9;
        firstErrors.forEach((status, body) -> log("submit error " + status + ": "
                + body.substring(0, Math.min(300, body.length()))));
        return new Submission(ids, errors.get(), seconds);
    }

    /**
     * Waits until no request of this run is still open for the platform (verified or in_progress): the newest
     * such request, listed newest first, is older than the run or not ours. 1 poll/s, two small list calls.
     */
    private boolean awaitClosed(Instant from, Set<String> ours, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            boolean open = false;
            for (String status : List.of("verified", "in_progress")) {
                Rest.Answer answer = rest.get(requestUrl + "/v1/requests?status=" + status + "&limit=5", operatorToken);
                for (JsonNode item : answer.json().path("items")) {
                    open |= ours.contains(item.path("requestId").asText());
                }
            }
            if (!open) {
                return true;
            }
            Thread.sleep(1000);
        }
        log("warn: requests still open after " + timeout.toSeconds() + " s");
        return false;
    }

    /** Every request of this run through the list endpoint (newest first, pages of 200, down to the run's start). */
    private Map<String, JsonNode> readBack(Instant from, Set<String> ours) throws Exception {
        Map<String, JsonNode> views = new HashMap<>();
        Instant stopAt = from.minusSeconds(5);
        String cursor = null;
        while (true) {
            String url = requestUrl + "/v1/requests?limit=200"
                    + (cursor == null ? "" : "&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8));
            JsonNode page = rest.get(url, operatorToken).json();
            boolean older = false;
            for (JsonNode item : page.path("items")) {
                if (ours.contains(item.path("requestId").asText())) {
                    views.put(item.path("requestId").asText(), item);
                }
                older |= Instant.parse(item.path("receivedAt").asText()).isBefore(stopAt);
            }
            cursor = page.path("nextCursor").isTextual() ? page.path("nextCursor").asText() : null;
            if (cursor == null || older || views.size() == ours.size()) {
                return views;
            }
        }
    }

    private static void log(String line) {
        System.err.printf("[%tT] %s%n", System.currentTimeMillis(), line);
    }
}
