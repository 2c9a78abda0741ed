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
    void shouldLetATenantAdminSetOnlyItsOwnSettings() {
        given().header("Authorization", TestTokens.bearer("acme", "admin")).contentType(ContentType.JSON)
                .body(Map.of("trusted", false, "region", "EEA"))
                .put("/v1/tenants/acme/settings").then().statusCode(200);
        given().header("Authorization", TestTokens.bearer("acme", "operator"))
                .get("/v1/tenants/acme/settings").then().statusCode(200).body("trusted", equalTo(false));
        given().header("Authorization", TestTokens.bearer("acme", "admin")).contentType(ContentType.JSON)
                .body(Map.of("trusted", true, "region", "EEA"))
                .put("/v1/tenants/globex/settings").then().statusCode(404);
        given().header("Authorization", TestTokens.bearer("acme", "operator")).contentType(ContentType.JSON)
                .body(Map.of("trusted", true, "region", "EEA"))
                .put("/v1/tenants/acme/settings").then().statusCode(403);
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
}
