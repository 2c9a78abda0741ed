package io.privacyplatform.consent.rest;

import static io.privacyplatform.consent.ConsentApi.as;
import static io.privacyplatform.consent.ConsentApi.record;
import static io.privacyplatform.consent.ConsentApi.subject;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.privacyplatform.consent.ConsentApi;
import io.privacyplatform.events.Topics;
import io.privacyplatform.events.payload.Notification;
import io.privacyplatform.testing.PlatformTestResource;
import io.privacyplatform.testing.TestDatabase;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class PolicyVersionResourceTests {

    @Test
    void shouldNoticeEverySubjectInBatchesAfterThePutAndAskForConsentAgainOnceInEffect() {
        // A tenant of its own: a material version changes what every consent of the tenant shows.
        String tenant = "policy-" + UUID.randomUUID().toString().substring(0, 8);
        ConsentApi.catalog(tenant);
        String granted = subject();
        String analytics = subject();
        String withdrawn = subject();
        String legitimate = subject();
        String contract = subject();
        record(tenant, granted, "newsletter", "granted");
        record(tenant, analytics, "analytics", "granted");
        record(tenant, withdrawn, "newsletter", "withdrawn");
        record(tenant, legitimate, "product-tips", "granted");
        record(tenant, contract, "billing", "granted");
        List<String> everyone = List.of(granted, analytics, withdrawn, legitimate, contract);

        Instant effectiveAt = Instant.now().plusSeconds(15).truncatedTo(ChronoUnit.SECONDS);
        // The PUT only saves the version and its job: no notice is sent in its transaction (batches of 2 in test).
        String versionId = as(tenant, "admin").body("{\"effectiveAt\":\"" + effectiveAt + "\",\"material\":true,"
                + "\"summary\":\"New advertising partners\"}").put("/v1/policy-versions/2025-06").then()
                .statusCode(201).body("notices", equalTo(0)).body("material", equalTo(true))
                .extract().path("version");
        assertThat(versionId).isEqualTo("2025-06");
        as(tenant, "app").get("/v1/subjects/{s}/consents", granted).then().statusCode(200)
                .body("purposes[0].reconsentRequired", equalTo(false));

        // Every subject of the tenant, whatever the lawful basis, gets one notice before the version takes effect.
        await().atMost(ConsentApi.WAIT).until(() -> TestDatabase.count("SELECT count(*) FROM policy_notice_job j"
                + " JOIN policy_version v ON v.id = j.policy_version_id WHERE v.tenant_id = ? AND j.completed_at"
                + " IS NOT NULL", tenant) == 1);
        assertThat(Instant.now()).isBefore(effectiveAt);
        for (String subject : everyone) {
            List<Notification> notices = ConsentApi.events(Topics.NOTIFICATION,
                    ConsentApi.PSEUDONYM.of(tenant, subject), Notification.class, n -> !n.isEmpty());
            assertThat(notices).as(subject).hasSize(1);
            assertThat(notices.get(0).subjectId()).isEqualTo(subject);
        }
        Notification notice = ConsentApi.events(Topics.NOTIFICATION, ConsentApi.PSEUDONYM.of(tenant, legitimate),
                Notification.class, n -> !n.isEmpty()).get(0);
        assertThat(notice.kind()).isEqualTo("policy_change");
        assertThat(notice.tenantId()).isEqualTo(tenant);
        assertThat(notice.recipient()).isNull();
        assertThat(notice.params()).containsEntry("policyVersion", "2025-06")
                .containsEntry("effectiveAt", effectiveAt.toString())
                .containsEntry("summary", "New advertising partners");
        assertThat(PlatformTestResource.kafka().readAll(Topics.NOTIFICATION).stream().map(ConsentApi::envelope)
                .filter(e -> tenant.equals(e.tenantId())).count()).as("one notice per subject, no more").isEqualTo(5);
        as(tenant, "admin").get("/v1/policy-versions").then().body("items[0].notices", equalTo(5));

        await().atMost(ConsentApi.WAIT).untilAsserted(() -> as(tenant, "app")
                .get("/v1/subjects/{s}/consents", granted).then()
                .body("purposes[0].reconsentRequired", equalTo(true)));
        as(tenant, "app").get("/v1/subjects/{s}/consents", withdrawn).then()
                .body("purposes[0].reconsentRequired", equalTo(false));
        as(tenant, "app").get("/v1/subjects/{s}/consents", legitimate).then()
                .body("purposes[0].reconsentRequired", equalTo(false));
        // Before the change took effect, the same grant needed nothing.
        as(tenant, "app").queryParam("asOf", effectiveAt.minusSeconds(1).toString())
                .get("/v1/subjects/{s}/consents", granted).then()
                .body("purposes[0].reconsentRequired", equalTo(false));

        as(tenant, "app").body("{\"subjectId\":\"" + granted + "\",\"purpose\":\"newsletter\","
                + "\"decision\":\"granted\",\"policyVersion\":\"2025-06\"}").post("/v1/consents").then()
                .statusCode(201);
        as(tenant, "app").get("/v1/subjects/{s}/consents", granted).then()
                .body("purposes[0].reconsentRequired", equalTo(false));
    }

    @Test
    void shouldAnnounceAVersionOnce() {
        String tenant = "policy-" + UUID.randomUUID().toString().substring(0, 8);
        String body = "{\"effectiveAt\":\"2030-01-01T00:00:00Z\",\"material\":true,\"summary\":\"s\"}";
        as(tenant, "admin").body(body).put("/v1/policy-versions/2030-01").then().statusCode(201)
                .body("notices", equalTo(0));
        as(tenant, "admin").body(body).put("/v1/policy-versions/2030-01").then().statusCode(200);
        as(tenant, "admin").body(body.replace("\"s\"", "\"other\"")).put("/v1/policy-versions/2030-01").then()
                .statusCode(409).body("error.code", equalTo("policy_version_exists"));
        as(tenant, "admin").body("{\"effectiveAt\":\"2020-01-01T00:00:00Z\",\"material\":true}")
                .put("/v1/policy-versions/2020-01").then().statusCode(400)
                .body("error.details[0].field", equalTo("effectiveAt"));
        as(tenant, "admin").body("{\"material\":true}").put("/v1/policy-versions/2020-02").then().statusCode(400)
                .body("error.details[0].field", equalTo("effectiveAt"));
        as(tenant, "app").body(body).put("/v1/policy-versions/2030-02").then().statusCode(403);
        as(tenant, "operator").get("/v1/policy-versions").then().statusCode(200)
                .body("items.version", hasItem("2030-01"));
    }

    @Test
    void shouldValidatePurposes() {
        String tenant = "purposes-" + UUID.randomUUID().toString().substring(0, 8);
        as(tenant, "admin").body("{\"title\":\"T\",\"category\":\"telepathy\",\"defaultLawfulBasis\":\"consent\"}")
                .put("/v1/purposes/p1").then().statusCode(400)
                .body("error.details[0].field", equalTo("category"));
        as(tenant, "admin").body("{\"title\":\"T\",\"category\":\"analytics\",\"defaultLawfulBasis\":\"consent\"}")
                .put("/v1/purposes/Bad Id").then().statusCode(400)
                .body("error.details[0].field", equalTo("purposeId"));
        as(tenant, "app").body("{\"title\":\"T\",\"category\":\"analytics\",\"defaultLawfulBasis\":\"consent\"}")
                .put("/v1/purposes/p1").then().statusCode(403);
        as(tenant, "admin").body("{\"title\":\"T\",\"category\":\"analytics\",\"defaultLawfulBasis\":\"consent\"}")
                .put("/v1/purposes/p1").then().statusCode(201);
        as(tenant, "admin").body("{\"title\":\"T2\",\"category\":\"analytics\",\"defaultLawfulBasis\":\"consent\"}")
                .put("/v1/purposes/p1").then().statusCode(200).body("title", equalTo("T2"));
        as(tenant, "app").get("/v1/purposes").then().statusCode(200).body("items.purposeId", hasItem("p1"));
        as("acme", "app").get("/v1/purposes").then().statusCode(200)
                .body("items.findAll { it.purposeId == 'p1' }.size()", equalTo(0));
    }
}
