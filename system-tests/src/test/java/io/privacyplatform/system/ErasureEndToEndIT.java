package io.privacyplatform.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.privacyplatform.events.EventCodec;
import io.privacyplatform.events.EventEnvelope;
import io.privacyplatform.events.SubjectPseudonym;
import io.privacyplatform.events.Topics;
import io.privacyplatform.events.keys.JdbcSubjectKeys;
import io.privacyplatform.events.keys.SubjectErasedException;
import io.privacyplatform.events.payload.ConsentChanged;
import io.privacyplatform.system.PlatformProcesses.Service;
import io.privacyplatform.testing.TestKeyStore;

/**
 * Scenario 1 (erasure end to end), 5 (a store down meanwhile) and 7 (tenant isolation) of issue 7; crypto-shredding
 * (issue 15: the erased subject's events unreadable on every topic read from the beginning).
 */
class ErasureEndToEndIT {

    private static PlatformProcesses platform;
    private static PlatformApi api;

    @BeforeAll
    static void startPlatform() {
        platform = PlatformProcesses.get();
        api = new PlatformApi(platform);
        api.purpose("acme", "newsletter", "marketing_email", "consent");
        api.purpose("acme", "analytics", "analytics", "consent");
        api.purpose("acme", "product-updates", "marketing_email", "legitimate_interest");
        api.policyVersion("acme", "2026-01");
        await().atMost(Duration.ofSeconds(60)).until(() -> registered("mail-log-store") && registered("consent-service")
                && registered("request-service"));
    }

    @Test
    void shouldEraseASubjectEverywhereAndCertifyIt() throws Exception {
        String subject = "alice-" + UUID.randomUUID().toString().substring(0, 8);
        String alice = subject + "@example.com";
        String bob = "bob-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
        api.messages("acme", alice, 200, Duration.ofDays(1));
        api.messages("acme", bob, 20, Duration.ofDays(1));
        api.consent("acme", subject, "newsletter", "granted", "consent", "2026-01");
        api.consent("acme", subject, "analytics", "granted", "consent", "2026-01");
        api.consent("acme", subject, "newsletter", "withdrawn", "consent", "2026-01");

        // Scenario 7: another tenant's token finds none of alice's consents.
        api.as(Service.CONSENT, "platform", "operator").get("/v1/subjects/" + subject + "/consents")
                .then().statusCode(404);

        String requestId = api.verifiedRequest("acme", "erasure", subject, alice);
        api.awaitStatus("acme", requestId, "completed");

        assertThat(platform.count(Service.MAIL_LOG, "SELECT count(*) FROM mail_message WHERE ? = ANY (recipients)",
                alice)).isZero();
        assertThat(platform.count(Service.MAIL_LOG, "SELECT count(*) FROM mail_message WHERE ? = ANY (recipients)",
                bob)).isEqualTo(20);
        assertThat(platform.count(Service.CONSENT, "SELECT count(*) FROM consent_record WHERE subject_id = ?",
                subject)).isZero();
        api.as(Service.CONSENT, "acme", "operator").get("/v1/subjects/" + subject + "/consents/history")
                .then().statusCode(404);

        Map<String, Object> certificate = api.verifiedCertificate("acme", requestId);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> systems = (List<Map<String, Object>>) certificate.get("systems");
        assertThat(systems).extracting(s -> s.get("system"))
                .containsExactlyInAnyOrder("mail-log-store", "consent-service", "request-service");
        // What was kept is named with its reason, never counted as deleted: alice withdrew the newsletter, so
        // consent-service keeps a suppression entry; request-service keeps the erasure request itself while it runs.
        assertThat(retainedCategories(systems, "consent-service")).containsExactly("marketing_suppression");
        assertThat(retainedCategories(systems, "mail-log-store")).isEmpty();
        assertThat(retainedCategories(systems, "request-service")).isNotEmpty();
        assertThat(systems).filteredOn(s -> "mail-log-store".equals(s.get("system")))
                .extracting(s -> ((Number) s.get("records")).longValue()).containsExactly(200L);
        assertThat(systems).filteredOn(s -> "consent-service".equals(s.get("system")))
                .extracting(s -> ((Number) s.get("records")).longValue()).containsExactly(3L);
        Map<String, Object> tampered = new java.util.LinkedHashMap<>(certificate);
        tampered.put("tenantId", "acmf");
        assertThat(api.verifies(tampered)).isFalse();

        // Scenario 7: the other tenant finds none of it.
        api.as(Service.REQUEST, "platform", "operator").get("/v1/requests/" + requestId).then().statusCode(404);
        api.as(Service.RETENTION, "platform", "operator").get("/v1/requests/" + requestId + "/certificate")
                .then().statusCode(404);
        api.as(Service.RETENTION, "platform", "operator").get("/v1/requests/" + requestId + "/commands")
                .then().statusCode(404);
    }

    @Test
    void shouldFinishAnErasureOnceAStoreThatWasDownIsBack() throws Exception {
        String subject = "dave-" + UUID.randomUUID().toString().substring(0, 8);
        String dave = subject + "@example.com";
        api.messages("acme", dave, 30, Duration.ofDays(2));

        platform.stop(Service.MAIL_LOG);
        String requestId;
        try {
            requestId = api.verifiedRequest("acme", "erasure", subject, dave);
            // The store does not answer: the request waits, and retention-service sends the command again.
            await().atMost(Duration.ofSeconds(60)).until(() -> mailLogAttempts("acme", requestId) >= 2);
            api.request("acme", requestId).then().statusCode(200)
                    .body("status", org.hamcrest.Matchers.not(equalTo("completed")));
        } finally {
            platform.start(Service.MAIL_LOG);
        }
        platform.awaitReady(Service.MAIL_LOG);
        api.awaitStatus("acme", requestId, "completed");

        assertThat(platform.count(Service.MAIL_LOG, "SELECT count(*) FROM mail_message WHERE ? = ANY (recipients)",
                dave)).isZero();
        // Done once: one recorded outcome, and the certificate counts the 30 messages (not 0 from a re-send).
        assertThat(platform.count(Service.MAIL_LOG,
                "SELECT count(*) FROM store_command_outcome WHERE request_id = ?", requestId)).isEqualTo(1);
        Map<String, Object> certificate = api.verifiedCertificate("acme", requestId);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> systems = (List<Map<String, Object>>) certificate.get("systems");
        assertThat(systems).filteredOn(s -> "mail-log-store".equals(s.get("system")))
                .extracting(s -> ((Number) s.get("records")).longValue()).containsExactly(30L);
    }

    /**
     * Crypto-shredding end to end: after alice's erasure completed, her consent decisions, her rights request and the
     * commands about her are still on their topics, and read from the beginning none of them opens any more (her data
     * key is destroyed), while carol's consent decision, written alongside, still does.
     */
    @Test
    @SuppressWarnings("unchecked")
    void shouldLeaveAnErasedSubjectsEventsUnreadableOnEveryTopicFromTheBeginning() throws Exception {
        String alice = "alice-" + UUID.randomUUID().toString().substring(0, 8);
        String carol = "carol-" + UUID.randomUUID().toString().substring(0, 8);
        api.messages("acme", alice + "@example.com", 3, Duration.ofDays(1));
        api.consent("acme", alice, "analytics", "granted", "consent", "2026-01");
        api.consent("acme", carol, "analytics", "granted", "consent", "2026-01");
        String requestId = api.verifiedRequest("acme", "erasure", alice, alice + "@example.com");
        api.awaitStatus("acme", requestId, "completed");

        Map<String, Object> certificate = api.verifiedCertificate("acme", requestId);
        assertThat(certificate).containsEntry("cryptoShredded", true);
        List<String> destroyed = ((List<Map<String, Object>>) certificate.get("subjectKeys")).stream()
                .map(k -> (String) k.get("keyId")).toList();
        assertThat(destroyed).isNotEmpty();

        SubjectPseudonym pseudonyms = SubjectPseudonym.fromSecret(PlatformProcesses.PSEUDONYM_SECRET);
        String aliceKey = pseudonyms.of("acme", alice);
        String carolKey = pseudonyms.of("acme", carol);
        // Another reader, without a key cache: what any consumer, a .dlq reader or a backup restore sees now.
        EventCodec reader = new EventCodec(Clock.systemUTC(),
                JdbcSubjectKeys.fromSettings(TestKeyStore.settings(), 0, Duration.ZERO));
        for (String topic : List.of(Topics.CONSENT_CHANGED, Topics.RIGHTS_REQUEST, Topics.COMMAND)) {
            List<EventEnvelope> aliceBefore = platform.kafka().readAll(topic).stream()
                    .filter(r -> aliceKey.equals(r.key())).map(EventEnvelope::fromRecord)
                    .filter(e -> destroyed.contains(e.keyId())).toList();
            assertThat(aliceBefore).as("alice's events on %s written before the erasure", topic).isNotEmpty();
            assertThat(aliceBefore).allSatisfy(e -> {
                assertThat(e.dataAsText()).doesNotContain(alice);
                assertThatThrownBy(() -> reader.decode(e)).isInstanceOf(SubjectErasedException.class);
            });
        }
        List<ConsentChanged> carols = platform.kafka().readAll(Topics.CONSENT_CHANGED).stream()
                .filter(r -> carolKey.equals(r.key()))
                .map(r -> reader.decode(EventEnvelope.fromRecord(r), ConsentChanged.class)).toList();
        assertThat(carols).singleElement().satisfies(c -> assertThat(c.subjectId()).isEqualTo(carol));
    }

    private static boolean registered(String system) {
        return api.as(Service.RETENTION, "platform", "admin").get("/v1/systems/" + system).statusCode() == 200;
    }

    @SuppressWarnings("unchecked")
    private static int mailLogAttempts(String tenant, String requestId) {
        var response = api.as(Service.RETENTION, tenant, "operator").get("/v1/requests/" + requestId + "/commands");
        if (response.statusCode() != 200) {
            return 0;
        }
        List<Map<String, Object>> commands = response.jsonPath().getList("commands");
        return commands == null ? 0 : commands.stream().filter(c -> "mail-log-store".equals(c.get("system")))
                .mapToInt(c -> ((Number) c.get("attempts")).intValue()).max().orElse(0);
    }

    @SuppressWarnings("unchecked")
    private static List<Object> retainedCategories(List<Map<String, Object>> systems, String system) {
        return systems.stream().filter(s -> system.equals(s.get("system")))
                .flatMap(s -> ((List<Map<String, Object>>) s.getOrDefault("retained", List.of())).stream())
                .map(r -> r.get("category")).toList();
    }
}
