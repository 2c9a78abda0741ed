package io.privacyplatform.retention.rest;

import static io.privacyplatform.retention.RetentionFixtures.*;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import io.privacyplatform.events.EventEnvelope;
import io.privacyplatform.events.Topics;
import io.privacyplatform.events.payload.TenantSettings;
import io.privacyplatform.testing.PlatformTestResource;
import io.privacyplatform.testing.TestDatabase;
import io.privacyplatform.testing.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

@QuarkusTest
class TenantSettingsResourceTests {

    @Test
    void shouldStoreAndPublishTenantSettingsKeyedByTenant() {
        String tenant = unique("tenant");
        given().header("Authorization", PLATFORM_ADMIN).contentType(ContentType.JSON)
                .body(Map.of("trusted", true, "region", "eea"))
                .put("/v1/tenants/{t}/settings", tenant).then().statusCode(200)
                .body("trusted", equalTo(true)).body("region", equalTo("EEA"));
        assertThat(TestDatabase.rows("SELECT trusted, region FROM tenant_settings WHERE tenant_id = ?", tenant)
                .get(0)).containsEntry("trusted", true).containsEntry("region", "EEA");
        ConsumerRecord<String, byte[]> record = await().atMost(Duration.ofSeconds(30)).until(
                () -> PlatformTestResource.kafka().readAll(Topics.TENANT_SETTINGS).stream()
                        .filter(r -> tenant.equals(r.key())).toList(), l -> !l.isEmpty()).get(0);
        TenantSettings published = CODEC.decode(EventEnvelope.fromRecord(record), TenantSettings.class);
        assertThat(published.tenantId()).isEqualTo(tenant);
        assertThat(published.trusted()).isTrue();
        assertThat(published.region()).isEqualTo("EEA");
    }

    @Test
    void shouldLetOnlyAPlatformAdminSetTrusted() {
        String tenant = unique("tenant");
        given().header("Authorization", PLATFORM_ADMIN).contentType(ContentType.JSON)
                .body(Map.of("trusted", false, "region", "EEA"))
                .put("/v1/tenants/{t}/settings", tenant).then().statusCode(200);
        // The tenant's own admin may not switch sampling off for itself: that is the provider's decision.
        given().header("Authorization", TestTokens.bearer(tenant, "admin")).contentType(ContentType.JSON)
                .body(Map.of("trusted", true, "region", "EEA"))
                .put("/v1/tenants/{t}/settings", tenant).then().statusCode(403)
                .body("error.code", equalTo("platform_admin_only"));
        given().header("Authorization", TestTokens.bearer(tenant, "operator")).contentType(ContentType.JSON)
                .body(Map.of("trusted", true, "region", "EEA"))
                .put("/v1/tenants/{t}/settings", tenant).then().statusCode(403);
        given().header("Authorization", TestTokens.bearer("platform", "operator")).contentType(ContentType.JSON)
                .body(Map.of("trusted", true, "region", "EEA"))
                .put("/v1/tenants/{t}/settings", tenant).then().statusCode(403);
        assertThat(TestDatabase.rows("SELECT trusted FROM tenant_settings WHERE tenant_id = ?", tenant).get(0))
                .containsEntry("trusted", false);
        // It may still read them; another tenant's settings are not found.
        given().header("Authorization", TestTokens.bearer(tenant, "admin"))
                .get("/v1/tenants/{t}/settings", tenant).then().statusCode(200).body("trusted", equalTo(false));
        given().header("Authorization", TestTokens.bearer(tenant, "operator"))
                .get("/v1/tenants/{t}/settings", tenant).then().statusCode(200);
        given().header("Authorization", TestTokens.bearer("acme", "admin")).contentType(ContentType.JSON)
                .body(Map.of("trusted", true, "region", "EEA"))
                .put("/v1/tenants/{t}/settings", tenant).then().statusCode(404);
        given().header("Authorization", TestTokens.bearer("acme", "admin"))
                .get("/v1/tenants/{t}/settings", tenant).then().statusCode(404);
    }

    @Test
    void shouldRejectSettingsWithoutTrustedOrRegion() {
        String tenant = unique("tenant");
        given().header("Authorization", PLATFORM_ADMIN).contentType(ContentType.JSON)
                .body(Map.of("region", "EEA")).put("/v1/tenants/{t}/settings", tenant).then().statusCode(400);
        given().header("Authorization", PLATFORM_ADMIN).contentType(ContentType.JSON)
                .body(Map.of("trusted", true)).put("/v1/tenants/{t}/settings", tenant).then().statusCode(400)
                .body("error.details[0].field", equalTo("region"));
        assertThat(TestDatabase.count("SELECT count(*) FROM tenant_settings WHERE tenant_id = ?", tenant)).isZero();
    }

    @Test
    void shouldResolveConcurrentFirstPutsOfOneTenantsSettings() throws Exception {
        String tenant = unique("tenant");
        java.util.List<Integer> statuses = io.privacyplatform.testing.Concurrently.run(8, Duration.ofSeconds(60),
                () -> given().header("Authorization", PLATFORM_ADMIN).contentType(ContentType.JSON)
                        .body(Map.of("trusted", true, "region", "eea"))
                        .put("/v1/tenants/{t}/settings", tenant).then().extract().statusCode());
        assertThat(statuses).containsOnly(200);
        assertThat(TestDatabase.count("SELECT count(*) FROM tenant_settings WHERE tenant_id = ?", tenant))
                .isEqualTo(1);
    }
}
