package io.privacyplatform.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.privacyplatform.events.Ed25519Keys;
import io.privacyplatform.events.SubjectPseudonym;
import io.privacyplatform.events.Topics;
import io.privacyplatform.events.payload.ConsentApplied;
import io.privacyplatform.events.payload.Notification;
import io.privacyplatform.system.PlatformProcesses.Service;

/**
 * Issue 15, consent propagation: two internal systems are registered as consent subscribers with consent-service.
 * mail-log-store (standing for the mailer) applies a newsletter withdrawal and acknowledges it, signed with its key;
 * the ads integration never does. The withdrawal shows as applied by the one and, once the deadline has passed
 * (PT10S here, {@link SystemTestSettings}), overdue for the other: listed, alerted and counted.
 */
class ConsentPropagationIT {

    private static final String TENANT = "propagation";
    private static final SubjectPseudonym PSEUDONYM = SubjectPseudonym
            .fromSecret("system-test-pseudonym-secret-0123456789");

    private static PlatformProcesses platform;
    private static PlatformApi api;
    private static String ads;

    @BeforeAll
    static void startPlatform() {
        platform = PlatformProcesses.get();
        api = new PlatformApi(platform);
        api.purpose(TENANT, "newsletter", "marketing_email", "consent");
        api.policyVersion(TENANT, "2026-01");
        await().atMost(Duration.ofSeconds(60)).until(() -> api.onDataMap("mail-log-store"));
        // The key mail-log-store signs its events with, as it registered it on retention-service's data map.
        String mailLogKey = api.as(Service.RETENTION, "platform", "admin").get("/v1/systems/mail-log-store")
                .then().statusCode(200).extract().path("ackPublicKey");
        register("mail-log-store", mailLogKey);
        ads = "ads-integration-" + UUID.randomUUID().toString().substring(0, 8);
        register(ads, Ed25519Keys.publicKeyBase64(Ed25519Keys.generate().getPublic()));
    }

    /** The other scenarios' withdrawals are none of these subscribers' business. */
    @AfterAll
    static void removeSubscribers() {
        for (String system : List.of("mail-log-store", ads)) {
            api.as(Service.CONSENT, "platform", "admin").delete("/v1/consent-subscribers/" + system);
        }
    }

    @Test
    void shouldRaiseTheAlertForAWithdrawalNotAppliedInTime() throws Exception {
        String subject = "carol-" + UUID.randomUUID().toString().substring(0, 8);
        api.consent(TENANT, subject, "newsletter", "granted", "consent", "2026-01");
        String withdrawal = api.consent(TENANT, subject, "newsletter", "withdrawn", "consent", "2026-01");

        // mail-log-store applied it: the response, its acknowledgement on Kafka, its suppression in its database.
        await().atMost(PlatformApi.COMPLETION).untilAsserted(() -> propagation(withdrawal).then().statusCode(200)
                .body("systems.find { it.system == 'mail-log-store' }.state", equalTo("applied")));
        ConsentApplied applied = api.events(Topics.CONSENT_APPLIED, ConsentApplied.class).stream()
                .filter(a -> a.consentId().equals(withdrawal)).findFirst().orElseThrow();
        assertThat(applied.system()).isEqualTo("mail-log-store");
        assertThat(applied.decision()).isEqualTo("withdrawn");
        assertThat(platform.count(Service.MAIL_LOG, "SELECT count(*) FROM mail_suppression WHERE tenant_id = ?"
                + " AND subject_pseudonym = ? AND purpose_id = 'newsletter' AND consent_id = ?::uuid", TENANT,
                PSEUDONYM.of(TENANT, subject), withdrawal)).isEqualTo(1);
        assertThat(platform.count(Service.CONSENT, "SELECT count(*) FROM consent_application"
                + " WHERE consent_id = ?::uuid AND subscriber_id = 'mail-log-store'", withdrawal)).isEqualTo(1);

        // The ads integration never applies it: after the deadline it is overdue, listed and alerted once.
        await().atMost(PlatformApi.COMPLETION).untilAsserted(() -> api.as(Service.CONSENT, TENANT, "operator")
                .get("/v1/consent-propagation/overdue").then().statusCode(200)
                .body("items.findAll { it.consentId == '" + withdrawal + "' }.system", equalTo(List.of(ads))));
        propagation(withdrawal).then().statusCode(200).body("state", equalTo("overdue"))
                .body("systems.find { it.system == '" + ads + "' }.state", equalTo("overdue"))
                .body("systems.find { it.system == 'mail-log-store' }.appliedAt",
                        equalTo(applied.appliedAt().toString()));
        Instant dueBy = Instant.parse(propagation(withdrawal).then().extract().path("dueBy"));
        assertThat(dueBy).isBefore(Instant.now());

        Notification alert = await().atMost(PlatformApi.COMPLETION).until(() -> alerts(withdrawal),
                found -> !found.isEmpty()).get(0);
        assertThat(alert.params()).containsEntry("system", ads).containsEntry("purpose", "newsletter")
                .containsEntry("dueBy", dueBy.toString());
        assertThat(alert.subjectId()).isNull();
        assertThat(platform.count(Service.CONSENT, "SELECT count(*) FROM consent_propagation_alert"
                + " WHERE consent_id = ?::uuid AND subscriber_id = ?", withdrawal, ads)).isEqualTo(1);
        await().atMost(PlatformApi.COMPLETION).until(() -> java.util.regex.Pattern.compile(
                "(?m)^consent_propagation_alerts_total\\{[^}]*system=\"" + ads + "\"[^}]*\\} 1\\.0$")
                .matcher(metrics()).find());
        assertThat(metrics()).containsPattern("(?m)^consent_propagation_overdue(\\{[^}]*\\})? [1-9]");
        assertThat(alerts(withdrawal)).as("alerted once").hasSize(1);
    }

    private static void register(String system, String publicKey) {
        api.as(Service.CONSENT, "platform", "admin")
                .body(Map.of("description", "consent subscriber of the system tests", "owner", "system tests",
                        "publicKey", publicKey))
                .put("/v1/consent-subscribers/" + system).then()
                .statusCode(org.hamcrest.Matchers.either(org.hamcrest.Matchers.is(200))
                        .or(org.hamcrest.Matchers.is(201)));
    }

    private static io.restassured.response.Response propagation(String consentId) {
        return api.as(Service.CONSENT, TENANT, "operator").get("/v1/consents/" + consentId + "/propagation");
    }

    private static List<Notification> alerts(String consentId) {
        return api.events(Topics.NOTIFICATION, Notification.class).stream()
                .filter(n -> Notification.CONSENT_NOT_APPLIED.equals(n.kind())
                        && consentId.equals(n.params().get("consentId")))
                .toList();
    }

    private static String metrics() throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(platform.managementUrl(Service.CONSENT) + "/q/metrics")).build(),
                HttpResponse.BodyHandlers.ofString());
        return response.body();
    }
}
