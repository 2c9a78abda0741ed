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

import io.privacyplatform.events.Topics;
import io.privacyplatform.events.payload.ConsentChanged;
import io.privacyplatform.system.PlatformProcesses.Service;

/** Scenario 2 (access export), 3 (objection) and 6 (processor routing) of issue 7, with 7 (isolation). */
class RightsRequestsIT {

    private static PlatformProcesses platform;
    private static PlatformApi api;

    @BeforeAll
    static void startPlatform() {
        platform = PlatformProcesses.get();
        api = new PlatformApi(platform);
        api.purpose("acme", "newsletter", "marketing_email", "consent");
        api.purpose("acme", "analytics", "analytics", "consent");
        api.purpose("acme", "ads", "advertising", "consent");
        api.policyVersion("acme", "2026-01");
    }

    @Test
    void shouldExportTheSubjectsConsentsAndMessagesAndNobodyElses() {
        String subject = "erin-" + UUID.randomUUID().toString().substring(0, 8);
        String erin = subject + "@example.com";
        String other = "olga-" + UUID.randomUUID().toString().substring(0, 8);
        api.messages("acme", erin, 5, Duration.ofDays(3));
        api.messages("acme", other + "@example.com", 4, Duration.ofDays(3));
        api.consent("acme", subject, "newsletter", "granted", "consent", "2026-01");
        api.consent("acme", other, "newsletter", "granted", "consent", "2026-01");
        await().atMost(Duration.ofSeconds(60)).until(() -> registeredStores() >= 2);

        String requestId = api.verifiedRequest("acme", "access", subject, erin);
        api.awaitStatus("acme", requestId, "completed");

        String export = api.as(Service.REQUEST, "acme", "operator").get("/v1/requests/" + requestId + "/export")
                .then().statusCode(200).extract().asString();
        assertThat(export).contains(erin).contains(subject).contains("mail-log-store").contains("consent-service")
                .doesNotContain(other);
        api.as(Service.REQUEST, "platform", "operator").get("/v1/requests/" + requestId + "/export")
                .then().statusCode(404);
    }

    @Test
    void shouldWithdrawMarketingConsentsOnObjection() {
        String subject = "finn-" + UUID.randomUUID().toString().substring(0, 8);
        api.consent("acme", subject, "newsletter", "granted", "consent", "2026-01");
        api.consent("acme", subject, "ads", "granted", "consent", "2026-01");
        api.consent("acme", subject, "analytics", "granted", "consent", "2026-01");

        String requestId = api.verifiedRequest("acme", "objection", subject, subject + "@example.com");

        await().atMost(PlatformApi.COMPLETION).until(() -> decision(subject, "newsletter").equals("withdrawn")
                && decision(subject, "ads").equals("withdrawn"));
        assertThat(decision(subject, "analytics")).isEqualTo("granted");
        List<ConsentChanged> withdrawals = api.events(Topics.CONSENT_CHANGED, ConsentChanged.class).stream()
                .filter(e -> e.subjectId().equals(subject) && e.decision().equals("withdrawn")).toList();
        assertThat(withdrawals).extracting(ConsentChanged::purpose).containsExactlyInAnyOrder("newsletter", "ads");
        assertThat(withdrawals).extracting(ConsentChanged::channel).containsOnly("rights_request");
        api.request("platform", requestId).then().statusCode(404);
    }

    @Test
    void shouldRouteAPersonToTheControllingCustomer() {
        String subject = "gail-" + UUID.randomUUID().toString().substring(0, 8);
        String platformRequest = api.as(Service.REQUEST, "platform", "app")
                .body(Map.of("type", "erasure", "subjectId", subject, "contactEmail", subject + "@example.com",
                        "regulation", "gdpr", "identityVerified", true, "verifiedBy", "support-desk",
                        "controllerTenantId", "acme"))
                .post("/v1/requests").then().statusCode(201).body("status", equalTo("redirected"))
                .extract().path("requestId");

        List<Map<String, Object>> acmeQueue = api.as(Service.REQUEST, "acme", "operator")
                .queryParam("status", "received_from_processor").get("/v1/requests")
                .then().statusCode(200).extract().jsonPath().getList("items");
        Map<String, Object> copy = acmeQueue.stream().filter(r -> subject.equals(r.get("subjectId"))).findFirst()
                .orElseThrow(() -> new AssertionError("acme has no copy of the routed request"));
        assertThat(copy.get("requestId")).isNotEqualTo(platformRequest);
        assertThat(copy.get("dueAt")).isNotNull();
        api.request("acme", platformRequest).then().statusCode(404);
        api.request("platform", (String) copy.get("requestId")).then().statusCode(404);
    }

    private static String decision(String subject, String purpose) {
        List<Map<String, Object>> purposes = api.as(Service.CONSENT, "acme", "operator")
                .get("/v1/subjects/" + subject + "/consents").then().statusCode(200).extract().jsonPath()
                .getList("purposes");
        return purposes.stream().filter(p -> purpose.equals(p.get("purpose"))).map(p -> (String) p.get("decision"))
                .findFirst().orElse("none");
    }

    private static int registeredStores() {
        List<?> systems = api.as(Service.RETENTION, "platform", "admin").get("/v1/systems").then().statusCode(200)
                .extract().jsonPath().getList("items");
        return systems == null ? 0 : systems.size();
    }
}
