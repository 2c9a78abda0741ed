package io.privacyplatform.consent.rest;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.privacyplatform.testing.Concurrently;
import io.privacyplatform.testing.TestDatabase;
import io.privacyplatform.testing.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;

/** First PUTs of one new id, sent at once: one creates it, the others see it (no unique-key failure, no 5xx). */
@QuarkusTest
class ConcurrentFirstPutTests {

    @Test
    void shouldResolveConcurrentFirstPutsOfOnePurpose() throws Exception {
        String tenant = "t-" + UUID.randomUUID();
        String purposeId = "p-" + UUID.randomUUID();
        List<Integer> statuses = Concurrently.run(8, Duration.ofSeconds(60), () -> RestAssured.given()
                .header("Authorization", TestTokens.bearer(tenant, "admin")).contentType(ContentType.JSON)
                .body(Map.of("title", "Newsletter", "category", "marketing_email", "defaultLawfulBasis", "consent"))
                .put("/v1/purposes/" + purposeId).then().extract().statusCode());
        assertThat(statuses).containsOnly(201, 200);
        assertThat(statuses).filteredOn(s -> s == 201).hasSize(1);
        assertThat(TestDatabase.count("SELECT count(*) FROM purpose WHERE tenant_id = ? AND purpose_id = ?", tenant,
                purposeId)).isEqualTo(1);
    }

    @Test
    void shouldResolveConcurrentFirstPutsOfOnePolicyVersion() throws Exception {
        String tenant = "t-" + UUID.randomUUID();
        String version = "v-" + UUID.randomUUID();
        String effectiveAt = Instant.now().minus(1, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS).toString();
        List<Integer> statuses = Concurrently.run(8, Duration.ofSeconds(60), () -> RestAssured.given()
                .header("Authorization", TestTokens.bearer(tenant, "admin")).contentType(ContentType.JSON)
                .body(Map.of("effectiveAt", effectiveAt, "material", false, "summary", "wording"))
                .put("/v1/policy-versions/" + version).then().extract().statusCode());
        assertThat(statuses).containsOnly(201, 200);
        assertThat(statuses).filteredOn(s -> s == 201).hasSize(1);
        assertThat(TestDatabase.count("SELECT count(*) FROM policy_version WHERE tenant_id = ? AND version = ?",
                tenant, version)).isEqualTo(1);
    }
}
