package io.privacyplatform.system;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.privacyplatform.system.PlatformProcesses.Service;

/**
 * The load of one scale-out scenario, as apps send it through {@link FailoverClient}s: verified erasure requests
 * for {@code erasures} subjects (each with two logged e-mails, so mail-log-store's erasure has something to count)
 * and consent writes ({@code POST /v1/consents}, each with an {@code Idempotency-Key} and a subject of its own, so
 * the ledger must hold exactly one record per subject), sent in waves the scenario releases around its failures.
 * Every 2xx answer is recorded as acknowledged: the checks then hold the platform to it.
 */
final class ScaleOutLoad implements AutoCloseable {

    static final String TENANT = "acme";
    static final String PURPOSE = "newsletter";
    static final String POLICY_VERSION = "2026-01";
    static final int MESSAGES_PER_SUBJECT = 2;
    /** How long a client keeps retrying one write across instances before it gives up (the write is then not acked). */
    private static final Duration GIVE_UP_AFTER = Duration.ofMinutes(3);

    private final SpreadOutPlatform platform;
    private final String tag;
    private final FailoverClient consents;
    private final FailoverClient requests;
    private final ExecutorService erasureSenders = Executors.newFixedThreadPool(3);
    private final ExecutorService consentSenders = Executors.newFixedThreadPool(4);
    private final List<String> erasureSubjects = new ArrayList<>();
    private final List<String> consentSubjects = new ArrayList<>();
    /** subject → requestId of every acknowledged erasure request. */
    private final Map<String, String> acknowledgedErasures = new ConcurrentHashMap<>();
    /** subject → consentId of every acknowledged consent write. */
    private final Map<String, String> acknowledgedConsents = new ConcurrentHashMap<>();
    /** subject → the final answer of every write that was not acknowledged. */
    private final Map<String, String> refused = new ConcurrentHashMap<>();
    private final AtomicInteger answered = new AtomicInteger();
    private final AtomicInteger sent = new AtomicInteger();

    /**
     * @param tag makes this scenario's subjects its own ({@code <tag>-erase-<n>}, {@code <tag>-consent-<n>})
     */
    ScaleOutLoad(SpreadOutPlatform platform, String tag) {
        this.platform = platform;
        this.tag = tag;
        this.consents = new FailoverClient(platform.urls(Service.CONSENT), GIVE_UP_AFTER);
        this.requests = new FailoverClient(platform.urls(Service.REQUEST), GIVE_UP_AFTER);
    }

    static String email(String subject) {
        return subject + "@example.com";
    }

    /** The e-mails of the subjects to be erased, logged on mail-log-store before the scenario starts. */
    void logMessages(int subjects) {
        FailoverClient mailLog = new FailoverClient(platform.urls(Service.MAIL_LOG), GIVE_UP_AFTER);
        List<Map<String, Object>> batch = new ArrayList<>();
        for (int i = 0; i < subjects; i++) {
            String subject = tag + "-erase-" + i;
            erasureSubjects.add(subject);
            for (int m = 0; m < MESSAGES_PER_SUBJECT; m++) {
                Map<String, Object> message = new LinkedHashMap<>();
                message.put("messageId", "<" + UUID.randomUUID() + "@" + TENANT + ".example>");
                message.put("from", "news@" + TENANT + ".example");
                message.put("to", List.of(email(subject)));
                message.put("subject", "Newsletter " + m);
                message.put("sentAt", Instant.now().minus(Duration.ofDays(1)).toString());
                message.put("headers", Map.of("X-Campaign", "scale-out"));
                batch.add(message);
            }
            if (batch.size() >= 500 || i == subjects - 1) {
                FailoverClient.Answer answer = mailLog.post("/v1/messages/batch", platform.token(TENANT, "app"),
                        Map.of("messages", batch), UUID.randomUUID().toString());
                if (answer.status() != 201) {
                    throw new IllegalStateException("logging messages failed: " + answer);
                }
                batch = new ArrayList<>();
            }
        }
    }

    /** Sends one verified erasure request per subject logged by {@link #logMessages}, on 3 threads. */
    void sendErasures() {
        String token = platform.token(TENANT, "app");
        for (String subject : erasureSubjects) {
            sent.incrementAndGet();
            erasureSenders.execute(() -> {
                FailoverClient.Answer answer = requests.post("/v1/requests", token, Map.of("type", "erasure",
                        "subjectId", subject, "contactEmail", email(subject), "regulation", "gdpr",
                        "identityVerified", true, "verifiedBy", "app-session"), UUID.randomUUID().toString());
                if (answer.status() == 201) {
                    acknowledgedErasures.put(subject, answer.body().path("requestId").asText());
                } else {
                    refused.put(subject, answer.toString());
                }
                answered.incrementAndGet();
            });
        }
    }

    /** Sends {@code count} more consent writes, each for a subject of its own, on 4 threads. */
    void sendConsents(int count) {
        String token = platform.token(TENANT, "app");
        for (int i = 0; i < count; i++) {
            String subject = tag + "-consent-" + consentSubjects.size();
            consentSubjects.add(subject);
            sent.incrementAndGet();
            consentSenders.execute(() -> {
                FailoverClient.Answer answer = consents.post("/v1/consents", token, Map.of("subjectId", subject,
                        "purpose", PURPOSE, "decision", "granted", "lawfulBasis", "consent", "policyVersion",
                        POLICY_VERSION, "channel", "web"), UUID.randomUUID().toString());
                if (answer.status() == 201) {
                    acknowledgedConsents.put(subject, answer.body().path("consentId").asText());
                } else {
                    refused.put(subject, answer.toString());
                }
                answered.incrementAndGet();
            });
        }
    }

    int acknowledgedConsentCount() {
        return acknowledgedConsents.size();
    }

    /** Whether every write sent so far has its final answer. */
    boolean allAnswered() {
        return answered.get() == sent.get();
    }

    /** Attempts the clients had to repeat (an instance gone, a 5xx): how much of the failures the apps felt. */
    int failedAttempts() {
        return consents.failedAttempts() + requests.failedAttempts();
    }

    String tag() {
        return tag;
    }

    List<String> erasureSubjects() {
        return erasureSubjects;
    }

    List<String> consentSubjects() {
        return consentSubjects;
    }

    Map<String, String> acknowledgedErasures() {
        return acknowledgedErasures;
    }

    Map<String, String> acknowledgedConsents() {
        return acknowledgedConsents;
    }

    Map<String, String> refused() {
        return refused;
    }

    @Override
    public void close() throws InterruptedException {
        erasureSenders.shutdownNow();
        consentSenders.shutdownNow();
        erasureSenders.awaitTermination(30, TimeUnit.SECONDS);
        consentSenders.awaitTermination(30, TimeUnit.SECONDS);
    }
}
