package io.privacyplatform.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.IntStream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.privacyplatform.system.PlatformProcesses.Service;

/** Scenario 4 of issue 7: headers and sampled bodies go after 35 days; a trusted account has no bodies kept. */
class RetentionIT {

    private static PlatformProcesses platform;
    private static PlatformApi api;

    @BeforeAll
    static void startPlatform() {
        platform = PlatformProcesses.get();
        api = new PlatformApi(platform);
        await().atMost(Duration.ofSeconds(60)).until(() -> api.as(Service.RETENTION, "platform", "admin")
                .get("/v1/systems/mail-log-store").statusCode() == 200);
    }

    /**
     * Message ids whose sampling is known, so that the body counts below are exact rather than "1 in 100 of some
     * random ids": of {@code <retention-0@fixtures.example>} … {@code <retention-299@fixtures.example>}, the store
     * keeps the body of exactly these numbers under the sampling secret {@code SystemTestSettings} gives the store.
     * The store runs as a separate process and this module does not see its classes; mail-log-store's
     * {@code MailSamplingTest} pins the same list against {@code MailSampling} with the same secret.
     */
    static final Set<Integer> SAMPLED = Set.of(52, 68, 165, 231, 279);

    /** Fixture ids {@code from} (inclusive) to {@code to} (exclusive); each tenant may log the same ids. */
    static List<String> fixtureIds(int from, int to) {
        return IntStream.range(from, to).mapToObj(i -> "<retention-" + i + "@fixtures.example>").toList();
    }

    @Test
    void shouldDeleteMessagesOlderThan35DaysOnAPolicyRunAndKeepYoungerOnes() {
        String tenant = "ret-" + UUID.randomUUID().toString().substring(0, 8);
        String recipient = "hal@" + tenant + ".example";
        // Old: 0–99, of which 52 and 68 are sampled. Young: 100–299, of which 165, 231 and 279 are.
        api.messages(tenant, recipient, fixtureIds(0, 100), Duration.ofDays(40));
        api.messages(tenant, recipient, fixtureIds(100, 300), Duration.ofDays(10));
        assertThat(bodies(tenant, "m.sent_at < now() - interval '35 days'")).as("bodies of old sampled ids")
                .isEqualTo(2);
        assertThat(bodies(tenant, "m.sent_at >= now() - interval '35 days'")).as("bodies of young sampled ids")
                .isEqualTo(3);
        assertThat(bodiesOf(tenant, sampledIds())).as("exactly the sampled ids have bodies").isEqualTo(5);

        for (String policy : new String[] { "email_headers", "email_sample" }) {
            // A PURGE of every account runs only under a platform admin's decision for the policy as defined now.
            String digest = api.as(Service.RETENTION, "platform", "admin").get("/v1/policies/" + policy)
                    .then().statusCode(200).extract().path("definitionDigest");
            api.as(Service.RETENTION, "platform", "admin")
                    .body(Map.of("reason", "system test: the platform's 35-day retention", "definitionDigest", digest))
                    .post("/v1/policies/" + policy + "/approval").then().statusCode(201);
            String runId = api.as(Service.RETENTION, "platform", "admin").post("/v1/policies/" + policy + "/runs")
                    .then().statusCode(org.hamcrest.Matchers.oneOf(200, 201)).extract().path("runId");
            await().atMost(PlatformApi.COMPLETION).until(() -> platform.count(Service.RETENTION,
                    "SELECT count(*) FROM policy_run WHERE id = ?::uuid AND state = 'completed'", runId) == 1);
        }

        assertThat(platform.count(Service.MAIL_LOG,
                "SELECT count(*) FROM mail_message WHERE tenant_id = ? AND sent_at < now() - interval '35 days'",
                tenant)).isZero();
        assertThat(platform.count(Service.MAIL_LOG, "SELECT count(*) FROM mail_message WHERE tenant_id = ?", tenant))
                .isEqualTo(200);
        assertThat(bodies(tenant, "m.sent_at < now() - interval '35 days'")).isZero();
        // Both purges finished, and the young sampled bodies are all still there.
        assertThat(bodies(tenant, "true")).isEqualTo(3);
        assertThat(bodiesOf(tenant, List.of("<retention-165@fixtures.example>", "<retention-231@fixtures.example>",
                "<retention-279@fixtures.example>"))).isEqualTo(3);
    }

    @Test
    void shouldKeepNoBodiesForATrustedAccount() {
        String tenant = "trusted-" + UUID.randomUUID().toString().substring(0, 8);
        api.as(Service.RETENTION, "platform", "admin").body(Map.of("trusted", true, "region", "EEA"))
                .put("/v1/tenants/" + tenant + "/settings").then().statusCode(200);
        await().atMost(PlatformApi.COMPLETION).until(() -> platform.count(Service.MAIL_LOG,
                "SELECT count(*) FROM tenant_setting WHERE tenant_id = ? AND trusted", tenant) == 1);

        // All five sampled ids are among them: an untrusted account would keep five bodies.
        api.messages(tenant, "ivy@" + tenant + ".example", fixtureIds(0, 300), Duration.ofHours(1));

        assertThat(platform.count(Service.MAIL_LOG, "SELECT count(*) FROM mail_message WHERE tenant_id = ?", tenant))
                .isEqualTo(300);
        assertThat(bodies(tenant, "true")).isZero();
    }

    private static List<String> sampledIds() {
        return SAMPLED.stream().sorted().map(i -> "<retention-" + i + "@fixtures.example>").toList();
    }

    /** Stored bodies of the tenant's messages matching {@code condition} (on {@code mail_message m}). */
    private static long bodies(String tenant, String condition) {
        return platform.count(Service.MAIL_LOG, "SELECT count(*) FROM mail_sample s JOIN mail_message m"
                + " ON m.id = s.message_pk WHERE m.tenant_id = ? AND " + condition, tenant);
    }

    /** Stored bodies of the tenant's messages with these message ids. */
    private static long bodiesOf(String tenant, List<String> messageIds) {
        Object[] params = new Object[messageIds.size() + 1];
        params[0] = tenant;
        for (int i = 0; i < messageIds.size(); i++) {
            params[i + 1] = messageIds.get(i);
        }
        return platform.count(Service.MAIL_LOG, "SELECT count(*) FROM mail_sample s JOIN mail_message m"
                + " ON m.id = s.message_pk WHERE m.tenant_id = ? AND m.message_id IN ("
                + String.join(", ", java.util.Collections.nCopies(messageIds.size(), "?")) + ")", params);
    }
}
