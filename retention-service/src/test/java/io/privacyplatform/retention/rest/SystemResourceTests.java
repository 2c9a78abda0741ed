package io.privacyplatform.retention.rest;

import static io.privacyplatform.retention.RetentionFixtures.*;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.privacyplatform.testing.TestDatabase;
import io.privacyplatform.testing.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

@QuarkusTest
class SystemResourceTests {

    @BeforeEach
    void cleanDataMap() {
        resetDataMap();
    }

    private static Map<String, Object> system(String region, List<String> categories) {
        Map<String, Object> body = new HashMap<>();
        body.put("description", "CRM");
        body.put("owner", "sales");
        body.put("region", region);
        body.put("categories", categories);
        body.put("capabilities", List.of("erase", "export"));
        body.put("ackTimeout", "PT45S");
        return body;
    }

    @Test
    void shouldRejectEeaCategoriesInANonEeaSystemWithoutSafeguard() {
        String id = unique("us-crm");
        given().header("Authorization", PLATFORM_ADMIN).contentType(ContentType.JSON)
                .body(system("US", List.of("contact", "billing")))
                .put("/v1/systems/{id}", id).then().statusCode(422)
                .body("error.code", equalTo("residency_violation"))
                .body("error.details", hasSize(2))
                .body("error.details[0].field", equalTo("categories"))
                .body("error.details[0].problem", containsString("contact"))
                .body("error.details[1].problem", containsString("billing"));
        assertThat(TestDatabase.count("SELECT count(*) FROM data_system WHERE id = ?", id)).isZero();

        // An existing EEA system moved to the US without a safeguard is refused too, and stays as it was.
        given().header("Authorization", PLATFORM_ADMIN).contentType(ContentType.JSON)
                .body(system("EEA", List.of("contact"))).put("/v1/systems/{id}", id).then().statusCode(201);
        given().header("Authorization", PLATFORM_ADMIN).contentType(ContentType.JSON)
                .body(system("US", List.of("contact"))).put("/v1/systems/{id}", id).then().statusCode(422);
        assertThat(TestDatabase.rows("SELECT region FROM data_system WHERE id = ?", id).get(0))
                .containsEntry("region", "EEA");

    }

    @Test
    void shouldRejectANonEeaSystemWhateverTheSafeguard() {
        String id = unique("us-crm");
        given().header("Authorization", PLATFORM_ADMIN).contentType(ContentType.JSON)
                .body(system("EEA", List.of("contact"))).put("/v1/systems/{id}", id).then().statusCode(201);
        Map<String, Object> safeguarded = system("us", List.of("contact"));
        safeguarded.put("transferSafeguard", "EU standard contractual clauses 2021/914, module 2");
        given().header("Authorization", PLATFORM_ADMIN).contentType(ContentType.JSON).body(safeguarded)
                .put("/v1/systems/{id}", id).then().statusCode(422)
                .body("error.code", equalTo("residency_violation"))
                .body("error.message", containsString(id))
                .body("error.details[0].problem", containsString(id));
        assertThat(TestDatabase.rows("SELECT region, transfer_safeguard FROM data_system WHERE id = ?", id).get(0))
                .containsEntry("region", "EEA").containsEntry("transfer_safeguard", null);
        given().header("Authorization", TestTokens.bearer("acme", "operator")).get("/v1/residency/report")
                .then().statusCode(200).body("transfers.system", not(hasItem(id)));
    }

    @Test
    void shouldShowOnlyTheCallersTenantOnTheResidencyReport() {
        String mine = unique("us-tenant");
        String other = unique("us-tenant");
        for (String tenant : List.of(mine, other)) {
            given().header("Authorization", PLATFORM_ADMIN).contentType(ContentType.JSON)
                    .body(Map.of("trusted", false, "region", "US")).put("/v1/tenants/{t}/settings", tenant)
                    .then().statusCode(200);
        }
        given().header("Authorization", TestTokens.bearer(mine, "operator")).get("/v1/residency/report")
                .then().statusCode(200).body("tenantsOutsideEea", equalTo(List.of(mine)));
        given().header("Authorization", TestTokens.bearer("acme", "admin")).get("/v1/residency/report")
                .then().statusCode(200).body("tenantsOutsideEea", not(hasItem(other)))
                .body("tenantsOutsideEea", not(hasItem(mine)));
        given().header("Authorization", PLATFORM_ADMIN).get("/v1/residency/report")
                .then().statusCode(200).body("tenantsOutsideEea", hasItem(mine))
                .body("tenantsOutsideEea", hasItem(other));
    }

    @Test
    void shouldAllowANonEeaSystemWithoutCategories() {
        given().header("Authorization", PLATFORM_ADMIN).contentType(ContentType.JSON)
                .body(system("US", List.of())).put("/v1/systems/{id}", unique("empty")).then().statusCode(201);
    }

    @Test
    void shouldStoreTheIdentifiersASystemFindsSubjectsByDefaultingToTheSubjectId() {
        String id = unique("crm");
        given().header("Authorization", PLATFORM_ADMIN).contentType(ContentType.JSON)
                .body(system("EEA", List.of("contact"))).put("/v1/systems/{id}", id).then().statusCode(201)
                .body("identifiers", equalTo(List.of("subjectId")));
        Map<String, Object> byEmail = system("EEA", List.of("email_headers"));
        byEmail.put("identifiers", List.of("email", "email"));
        given().header("Authorization", PLATFORM_ADMIN).contentType(ContentType.JSON).body(byEmail)
                .put("/v1/systems/{id}", id).then().statusCode(200).body("identifiers", equalTo(List.of("email")));
        assertThat(TestDatabase.rows("SELECT array_to_string(identifiers, ',') AS ids FROM data_system WHERE id = ?",
                id).get(0)).containsEntry("ids", "email");
        given().header("Authorization", TestTokens.bearer("acme", "operator")).get("/v1/systems/{id}", id).then()
                .statusCode(200).body("identifiers", equalTo(List.of("email")));

        Map<String, Object> unknown = system("EEA", List.of("contact"));
        unknown.put("identifiers", List.of("subjectId", "phone"));
        given().header("Authorization", PLATFORM_ADMIN).contentType(ContentType.JSON).body(unknown)
                .put("/v1/systems/{id}", id).then().statusCode(400)
                .body("error.details[0].field", equalTo("identifiers"))
                .body("error.details[0].index", equalTo(1));
        Map<String, Object> none = system("EEA", List.of("contact"));
        none.put("identifiers", List.of());
        given().header("Authorization", PLATFORM_ADMIN).contentType(ContentType.JSON).body(none)
                .put("/v1/systems/{id}", id).then().statusCode(400)
                .body("error.details[0].field", equalTo("identifiers"));
        // Refused changes left the system as it was.
        assertThat(TestDatabase.rows("SELECT array_to_string(identifiers, ',') AS ids FROM data_system WHERE id = ?",
                id).get(0)).containsEntry("ids", "email");
    }

    @Test
    void shouldRejectInvalidInputNamingTheField() {
        String id = unique("crm");
        Map<String, Object> badTimeout = system("EEA", List.of("contact"));
        badTimeout.put("ackTimeout", "30 seconds");
        given().header("Authorization", PLATFORM_ADMIN).contentType(ContentType.JSON).body(badTimeout)
                .put("/v1/systems/{id}", id).then().statusCode(400)
                .body("error.details[0].field", equalTo("ackTimeout"));
        Map<String, Object> badCapability = system("EEA", List.of("contact"));
        badCapability.put("capabilities", List.of("erase", "shred"));
        given().header("Authorization", PLATFORM_ADMIN).contentType(ContentType.JSON).body(badCapability)
                .put("/v1/systems/{id}", id).then().statusCode(400)
                .body("error.details[0].field", equalTo("capabilities"))
                .body("error.details[0].index", equalTo(1));
        Map<String, Object> unknownField = system("EEA", List.of("contact"));
        unknownField.put("colour", "blue");
        given().header("Authorization", PLATFORM_ADMIN).contentType(ContentType.JSON).body(unknownField)
                .put("/v1/systems/{id}", id).then().statusCode(400);
        given().header("Authorization", PLATFORM_ADMIN).contentType(ContentType.JSON)
                .body(system("EEA", List.of("Not A Category"))).put("/v1/systems/{id}", id).then().statusCode(400)
                .body("error.details[0].field", equalTo("categories"));
        given().header("Authorization", PLATFORM_ADMIN).contentType(ContentType.JSON)
                .body(system("EEA", List.of("contact"))).put("/v1/systems/{id}", "bad id!").then().statusCode(400);
        assertThat(TestDatabase.count("SELECT count(*) FROM data_system")).isZero();
    }

    @Test
    void shouldLetOnlyPlatformAdminsChangeTheDataMap() {
        String id = unique("crm");
        given().header("Authorization", TestTokens.bearer("acme", "admin")).contentType(ContentType.JSON)
                .body(system("EEA", List.of("contact"))).put("/v1/systems/{id}", id).then().statusCode(403)
                .body("error.code", equalTo("platform_admin_only"));
        given().header("Authorization", TestTokens.bearer("platform", "operator")).contentType(ContentType.JSON)
                .body(system("EEA", List.of("contact"))).put("/v1/systems/{id}", id).then().statusCode(403);
        given().contentType(ContentType.JSON).body(system("EEA", List.of("contact")))
                .put("/v1/systems/{id}", id).then().statusCode(401);
        registerSystem(id, List.of("contact"), List.of("erase"), "PT30S");
        given().header("Authorization", TestTokens.bearer("acme", "operator")).get("/v1/systems").then()
                .statusCode(200).body("items.id", hasItem(id));
        given().header("Authorization", TestTokens.bearer("acme", "operator")).get("/v1/systems/{id}", id).then()
                .statusCode(200).body("capabilities", equalTo(List.of("erase")));
        given().header("Authorization", TestTokens.bearer("acme", "app")).get("/v1/systems").then()
                .statusCode(403);
        given().header("Authorization", TestTokens.bearer("acme", "admin")).delete("/v1/systems/{id}", id).then()
                .statusCode(403);
    }

    @Test
    void shouldRefuseToDeleteASystemWithOpenCommands() {
        String id = unique("crm");
        registerSystem(id, List.of("contact"), List.of("erase"), "PT30S");
        io.privacyplatform.events.payload.RightsRequestChanged request = verified("acme", "erasure",
                unique("subj"));
        send(io.privacyplatform.events.Topics.RIGHTS_REQUEST, envelope(request));
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).until(() -> TestDatabase.count(
                "SELECT count(*) FROM subject_command WHERE system_id = ? AND state = 'sent'", id) == 1);
        given().header("Authorization", PLATFORM_ADMIN).delete("/v1/systems/{id}", id).then().statusCode(409)
                .body("error.code", equalTo("system_has_open_commands"));

        TestDatabase.execute("UPDATE subject_command SET state = 'done' WHERE system_id = ?", id);
        given().header("Authorization", PLATFORM_ADMIN).delete("/v1/systems/{id}", id).then().statusCode(204);
        given().header("Authorization", PLATFORM_ADMIN).get("/v1/systems/{id}", id).then().statusCode(404);
        given().header("Authorization", PLATFORM_ADMIN).get("/v1/systems").then().statusCode(200)
                .body("items.id", not(hasItem(id)));
    }

    @Test
    void shouldLetAStoreRegisterAndUpdateItsOwnSystemWithItsAckKey() {
        String id = unique("store");
        String store = "Bearer " + TestTokens.store(id);
        Map<String, Object> body = system("EEA", List.of("contact"));
        body.put("ackPublicKey", STORE_PUBLIC_KEY);

        given().header("Authorization", store).contentType(ContentType.JSON).body(body)
                .put("/v1/systems/{id}", id).then().statusCode(201)
                .body("principal", equalTo(id))
                .body("ackPublicKey", equalTo(STORE_PUBLIC_KEY));
        body.put("categories", List.of("contact", "billing"));
        given().header("Authorization", store).contentType(ContentType.JSON).body(body)
                .put("/v1/systems/{id}", id).then().statusCode(200);

        assertThat(TestDatabase.rows("SELECT principal, ack_public_key, updated_by FROM data_system WHERE id = ?", id)
                .get(0)).containsEntry("principal", id).containsEntry("ack_public_key", STORE_PUBLIC_KEY)
                .containsEntry("updated_by", id);
    }

    @Test
    void shouldForbidAStoreToPutAnotherSystem() {
        String own = unique("store");
        String other = unique("crm");
        given().header("Authorization", PLATFORM_ADMIN).contentType(ContentType.JSON)
                .body(system("EEA", List.of("contact"))).put("/v1/systems/{id}", other).then().statusCode(201);
        Map<String, Object> body = system("EEA", List.of("contact", "billing"));
        body.put("ackPublicKey", STORE_PUBLIC_KEY);

        given().header("Authorization", "Bearer " + TestTokens.store(own)).contentType(ContentType.JSON).body(body)
                .put("/v1/systems/{id}", other).then().statusCode(403)
                .body("error.code", equalTo("store_not_this_system"));
        given().header("Authorization", "Bearer " + TestTokens.store(own)).contentType(ContentType.JSON).body(body)
                .put("/v1/systems/{id}", unique("new")).then().statusCode(403);

        assertThat(TestDatabase.rows("SELECT categories, ack_public_key, principal FROM data_system WHERE id = ?",
                other).get(0)).containsEntry("ack_public_key", null).containsEntry("principal", null);
        assertThat(TestDatabase.count("SELECT count(*) FROM data_system WHERE id = ?", own)).isZero();
    }

    @Test
    void shouldForbidAStoreToReadTheDataMap() {
        String own = unique("store");
        String other = unique("crm");
        given().header("Authorization", PLATFORM_ADMIN).contentType(ContentType.JSON)
                .body(system("EEA", List.of("contact"))).put("/v1/systems/{id}", other).then().statusCode(201);
        String store = "Bearer " + TestTokens.store(own);

        given().header("Authorization", store).get("/v1/systems").then().statusCode(403);
        given().header("Authorization", store).get("/v1/systems/{id}", other).then().statusCode(403);
        given().header("Authorization", store).delete("/v1/systems/{id}", other).then().statusCode(403);
        assertThat(TestDatabase.count("SELECT count(*) FROM data_system WHERE id = ?", other)).isEqualTo(1);
    }

    @Test
    void shouldRejectAStoreRegistrationWithoutAValidAckKey() {
        String id = unique("store");
        String store = "Bearer " + TestTokens.store(id);
        Map<String, Object> body = system("EEA", List.of("contact"));

        given().header("Authorization", store).contentType(ContentType.JSON).body(body)
                .put("/v1/systems/{id}", id).then().statusCode(400)
                .body("error.details[0].field", equalTo("ackPublicKey"));
        body.put("ackPublicKey", "bm90IGEga2V5");
        given().header("Authorization", store).contentType(ContentType.JSON).body(body)
                .put("/v1/systems/{id}", id).then().statusCode(400)
                .body("error.details[0].field", equalTo("ackPublicKey"));
        assertThat(TestDatabase.count("SELECT count(*) FROM data_system WHERE id = ?", id)).isZero();
    }

    @Test
    void shouldKeepTheStoresKeyWhenAnAdminChangesItsSystem() {
        String id = unique("store");
        Map<String, Object> body = system("EEA", List.of("contact"));
        body.put("ackPublicKey", STORE_PUBLIC_KEY);
        given().header("Authorization", "Bearer " + TestTokens.store(id)).contentType(ContentType.JSON).body(body)
                .put("/v1/systems/{id}", id).then().statusCode(201);

        given().header("Authorization", PLATFORM_ADMIN).contentType(ContentType.JSON)
                .body(system("EEA", List.of("contact", "billing"))).put("/v1/systems/{id}", id).then().statusCode(200)
                .body("principal", equalTo(id))
                .body("ackPublicKey", equalTo(STORE_PUBLIC_KEY));
    }
}
