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
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class PolicyVersionResourceTests {

    @Test
    void shouldNoticeAffectedSubjectsAndAskForConsentAgainOnceInEffect() {
        // A tenant of its own: a material version changes what every consent of the tenant shows.
        String tenant = "policy-" + UUID.randomUUID().toString().substring(0, 8);
        ConsentApi.catalog(tenant);
        String granted = subject();
        String analytics = subject();
        String withdrawn = subject();
        String legitimate = subject();
        record(tenant, granted, "newsletter", "granted");
        record(tenant, analytics, "analytics", "granted");
        record(tenant, withdrawn, "newsletter", "withdrawn");
        record(tenant, legitimate, "product-tips", "granted");

        Instant effectiveAt = Instant.now().plusSeconds(4).truncatedTo(ChronoUnit.SECONDS);
        as(tenant, "admin").body("{\"effectiveAt\":\"" + effectiveAt + "\",\"material\":true,"
                + "\"summary\":\"New advertising partners\"}").put("/v1/policy-versions/2025-06").then()
                .statusCode(201).body("notices", equalTo(2)).body("material", equalTo(true));

        List<Notification> notices = ConsentApi.events(Topics.NOTIFICATION, ConsentApi.PSEUDONYM.of(tenant, granted),
                Notification.class, n -> !n.isEmpty());
        assertThat(notices).hasSize(1);
        Notification notice = notices.get(0);
        assertThat(notice.kind()).isEqualTo("policy_change");
        assertThat(notice.tenantId()).isEqualTo(tenant);
        assertThat(notice.subjectId()).isEqualTo(granted);
        assertThat(notice.recipient()).isNull();
        assertThat(notice.params()).containsEntry("policyVersion", "2025-06")
                .containsEntry("effectiveAt", effectiveAt.toString())
                .containsEntry("summary", "New advertising partners");
        ConsentApi.events(Topics.NOTIFICATION, ConsentApi.PSEUDONYM.of(tenant, analytics), Notification.class,
                n -> n.size() == 1);
        List<String> keys = PlatformTestResource.kafka().readAll(Topics.NOTIFICATION).stream()
                .map(r -> r.key()).toList();
        assertThat(keys).doesNotContain(ConsentApi.PSEUDONYM.of(tenant, withdrawn),
                ConsentApi.PSEUDONYM.of(tenant, legitimate));

        as(tenant, "app").get("/v1/subjects/{s}/consents", granted).then().statusCode(200)
                .body("purposes[0].reconsentRequired", equalTo(false));
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
