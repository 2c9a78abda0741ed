package io.privacyplatform.maillog.rest;

import static io.privacyplatform.maillog.MailFixtures.message;
import static io.privacyplatform.maillog.MailFixtures.messageId;
import static io.privacyplatform.maillog.MailFixtures.post;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.privacyplatform.events.Topics;
import io.privacyplatform.events.payload.TenantSettings;
import io.privacyplatform.maillog.MailFixtures;
import io.privacyplatform.testing.TestDatabase;
import io.privacyplatform.testing.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;

@QuarkusTest
class MessageResourceTests {

    private static final Instant NOW = Instant.now();

    @Test
    void shouldRefuseATokenForAnotherServiceAndStoreNothing() {
        String id = messageId(false);
        RestAssured.given().header("Authorization", TestTokens.bearerFor("retention-service", "acme", "app"))
                .contentType("application/json")
                .body(message(id, "shop@acme.example", List.of("ann@example.com"), NOW, "body"))
                .post("/v1/messages")
                .then().statusCode(401).body("error.code", equalTo("unauthorized"));
        assertThat(TestDatabase.count("SELECT count(*) FROM mail_message WHERE message_id = ?", id)).isZero();
        RestAssured.given().header("Authorization", TestTokens.bearerFor("mail-log-store", "acme", "app"))
                .contentType("application/json")
                .body(message(id, "shop@acme.example", List.of("ann@example.com"), NOW, "body"))
                .post("/v1/messages")
                .then().statusCode(201);
    }

    @Test
    void shouldStoreHeadersOfEveryMessageAndTheBodyOnlyOfSampledOnes() {
        String sampled = messageId(true);
        String plain = messageId(false);
        post("acme", message(sampled, "shop@acme.example", List.of("ann@example.com"), NOW, "body one"))
                .then().statusCode(201).body("bodiesStored", equalTo(1));
        post("acme", message(plain, "shop@acme.example", List.of("ann@example.com"), NOW, "body two"))
                .then().statusCode(201).body("bodiesStored", equalTo(0));

        assertThat(TestDatabase.count("SELECT count(*) FROM mail_message WHERE message_id IN (?, ?)", sampled,
                plain)).isEqualTo(2);
        assertThat(TestDatabase.rows("SELECT m.message_id FROM mail_sample s JOIN mail_message m"
                + " ON m.id = s.message_pk WHERE m.message_id IN (?, ?)", sampled, plain))
                .extracting(r -> r.get("message_id")).containsExactly(sampled);
    }

    @Test
    void shouldStoreNoBodyForATrustedAccount() {
        String tenant = "trusted-" + UUID.randomUUID().toString().substring(0, 8);
        MailFixtures.publish(Topics.TENANT_SETTINGS, tenant, tenant, new TenantSettings(tenant, true, "EEA", NOW));
        await().atMost(Duration.ofSeconds(30)).until(() -> TestDatabase.count(
                "SELECT count(*) FROM tenant_setting WHERE tenant_id = ? AND trusted", tenant) == 1);

        String sampled = messageId(true);
        post(tenant, message(sampled, "news@trusted.example", List.of("bo@example.com"), NOW, "body"))
                .then().statusCode(201).body("bodiesStored", equalTo(0));
        assertThat(TestDatabase.count("SELECT count(*) FROM mail_sample s JOIN mail_message m ON m.id = s.message_pk"
                + " WHERE m.message_id = ?", sampled)).isZero();
    }

    @Test
    void shouldRejectBadInputAndStoreNothing() {
        String id = messageId(false);
        post("acme", message(id, "not-an-address", List.of("ann@example.com"), NOW, null))
                .then().statusCode(400).body("error.code", equalTo("validation_failed"))
                .body("error.details.field", hasItem("from"));
        post("acme", message(id, "shop@acme.example", List.of(), NOW, null))
                .then().statusCode(400).body("error.details.field", hasItem("to"));
        post("acme", message(id, "shop@acme.example", List.of("ann@example.com"), NOW.plus(Duration.ofDays(1)),
                null)).then().statusCode(400).body("error.details.field", hasItem("sentAt"));
        post("acme", "{\"messageId\":").then().statusCode(400).body("error.code", equalTo("malformed_json"));
        assertThat(TestDatabase.count("SELECT count(*) FROM mail_message WHERE message_id = ?", id)).isZero();
    }

    @Test
    void shouldStoreABatchAllOrNothingAndNameTheBadIndex() {
        String a = messageId(false);
        String b = messageId(false);
        String c = messageId(false);
        RestAssured.given().header("Authorization", TestTokens.bearer("acme", "app"))
                .contentType("application/json")
                .body(Map.of("messages", List.of(
                        message(a, "shop@acme.example", List.of("x@example.com"), NOW, null),
                        message(b, "shop@acme.example", List.of("x@example.com"), NOW.plus(Duration.ofDays(2)), null),
                        message(c, "shop@acme.example", List.of("x@example.com"), NOW, null))))
                .post("/v1/messages/batch")
                .then().statusCode(400)
                .body("error.details[0].field", equalTo("messages[1].sentAt"))
                .body("error.details[0].index", equalTo(1));
        assertThat(TestDatabase.count("SELECT count(*) FROM mail_message WHERE message_id IN (?, ?, ?)", a, b, c))
                .isZero();

        post("acme", message(a, "shop@acme.example", List.of("x@example.com"), NOW, null)).then().statusCode(201);
        post("acme", message(a, "shop@acme.example", List.of("x@example.com"), NOW, null)).then().statusCode(409)
                .body("error.code", equalTo("duplicate_message"));
    }

    @Test
    void shouldListOnlyTheAccountsUnrestrictedMessagesOfTheLast35Days() {
        String recipient = "list-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
        String old = messageId(false);
        String recent = messageId(false);
        String newest = messageId(false);
        String otherTenant = messageId(false);
        post("acme", message(old, "shop@acme.example", List.of(recipient), NOW.minus(Duration.ofDays(36)), null))
                .then().statusCode(201);
        post("acme", message(recent, "shop@acme.example", List.of(recipient), NOW.minus(Duration.ofDays(3)), null))
                .then().statusCode(201);
        post("acme", message(newest, "shop@acme.example", List.of(recipient), NOW.minus(Duration.ofHours(1)), null))
                .then().statusCode(201);
        post("platform", message(otherTenant, "ops@platform.example", List.of(recipient), NOW, null))
                .then().statusCode(201);

        String cursor = RestAssured.given().header("Authorization", TestTokens.bearer("acme", "operator"))
                .queryParam("recipient", recipient.toUpperCase()).queryParam("limit", 1)
                .get("/v1/messages")
                .then().statusCode(200)
                .body("items", hasSize(1)).body("items[0].messageId", equalTo(newest))
                .extract().path("nextCursor");
        RestAssured.given().header("Authorization", TestTokens.bearer("acme", "operator"))
                .queryParam("recipient", recipient).queryParam("limit", 1).queryParam("cursor", cursor)
                .get("/v1/messages")
                .then().statusCode(200)
                .body("items", hasSize(1)).body("items[0].messageId", equalTo(recent))
                .body("nextCursor", equalTo(null));
        RestAssured.given().header("Authorization", TestTokens.bearer("acme", "app"))
                .queryParam("recipient", recipient).queryParam("since", "yesterday")
                .get("/v1/messages").then().statusCode(400).body("error.details[0].field", equalTo("since"));
    }
}
