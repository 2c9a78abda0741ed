package io.privacyplatform.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.privacyplatform.system.PlatformProcesses.Service;

/** Issue 11 acceptance: an erasure meets a legal hold, the hold ends, and the amended certificate shows it done. */
class LegalHoldEndToEndIT {

    private static PlatformProcesses platform;
    private static PlatformApi api;

    @BeforeAll
    static void startPlatform() {
        platform = PlatformProcesses.get();
        api = new PlatformApi(platform);
        await().atMost(Duration.ofSeconds(60)).until(() -> api.onDataMap("mail-log-store"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void shouldEraseWhatAHoldDeferredOnceItIsReleasedAndAmendTheCertificate() throws Exception {
        String subject = "erin-" + UUID.randomUUID().toString().substring(0, 8);
        String erin = subject + "@example.com";
        api.messages("acme", erin, 40, Duration.ofDays(1));
        String holdId = api.as(Service.RETENTION, "acme", "operator")
                .body(Map.of("subjectId", subject, "categories", List.of("email_headers", "email_sample"),
                        "reason", "chargeback dispute 2026-41"))
                .post("/v1/holds").then().statusCode(201).extract().path("id");

        String requestId = api.verifiedRequest("acme", "erasure", subject, erin);
        api.awaitStatus("acme", requestId, "completed");

        // The hold kept the e-mail log: nothing erased there, and the certificate says so (not "deleted").
        assertThat(platform.count(Service.MAIL_LOG, "SELECT count(*) FROM mail_message WHERE ? = ANY (recipients)",
                erin)).isEqualTo(40);
        Map<String, Object> original = api.verifiedCertificate("acme", requestId);
        assertThat(original).doesNotContainKey("amendments");
        assertThat((List<Map<String, Object>>) original.get("held")).extracting(h -> h.get("category"))
                .contains("email_headers", "email_sample");
        assertThat((List<Map<String, Object>>) original.get("systems"))
                .filteredOn(s -> "mail-log-store".equals(s.get("system")))
                .singleElement().satisfies(s -> assertThat(s.get("outcome")).isEqualTo("HELD"));

        // The operator releases the hold, with a reason on record.
        api.as(Service.RETENTION, "acme", "operator").body(Map.of("reason", "dispute settled"))
                .post("/v1/holds/" + holdId + "/release").then().statusCode(200)
                .body("active", equalTo(false)).body("releaseReason", equalTo("dispute settled"));

        // The deferred erasure runs, and the certificate is amended and signed again.
        await().atMost(PlatformApi.COMPLETION).pollInterval(Duration.ofMillis(500)).until(() -> api
                .as(Service.RETENTION, "acme", "operator").get("/v1/requests/" + requestId + "/certificate")
                .then().extract().path("amendments") != null);
        Map<String, Object> amended = api.verifiedCertificate("acme", requestId);
        assertThat(amended.get("systems")).isEqualTo(original.get("systems"));
        assertThat(amended.get("held")).isEqualTo(original.get("held"));
        List<Map<String, Object>> amendments = (List<Map<String, Object>>) amended.get("amendments");
        assertThat(amendments).singleElement().satisfies(amendment -> {
            assertThat(amendment.get("supersedes")).isEqualTo(original.get("signature"));
            assertThat((List<Map<String, Object>>) amendment.get("released"))
                    .extracting(r -> r.get("category"), r -> r.get("reason"))
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("email_headers",
                            "hold released: dispute settled"),
                            org.assertj.core.groups.Tuple.tuple("email_sample", "hold released: dispute settled"));
            assertThat((List<Map<String, Object>>) amendment.get("systems")).singleElement().satisfies(s -> {
                assertThat(s.get("system")).isEqualTo("mail-log-store");
                assertThat(s.get("outcome")).isEqualTo("DONE");
                assertThat(((Number) s.get("records")).longValue()).isEqualTo(40L);
            });
        });
        Map<String, Object> tampered = new java.util.LinkedHashMap<>(amended);
        tampered.put("amendments", List.of());
        assertThat(api.verifies(tampered)).isFalse();
        assertThat(platform.count(Service.MAIL_LOG, "SELECT count(*) FROM mail_message WHERE ? = ANY (recipients)",
                erin)).isZero();
        // The hold's row stays, released, for the record.
        assertThat(platform.count(Service.RETENTION, "SELECT count(*) FROM legal_hold WHERE id = ?::uuid"
                + " AND released_at IS NOT NULL AND release_reason = 'dispute settled'", holdId)).isEqualTo(1);
    }
}
