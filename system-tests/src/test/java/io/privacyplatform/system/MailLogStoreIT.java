package io.privacyplatform.system;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.privacyplatform.system.PlatformProcesses.Service;
import io.privacyplatform.testing.TestTokens;
import io.restassured.RestAssured;

/** The store as the sending pipeline and an account see it, with every other service running beside it. */
class MailLogStoreIT {

    private static PlatformProcesses platform;

    @BeforeAll
    static void startPlatform() {
        platform = PlatformProcesses.get();
    }

    @Test
    void shouldShowAnAccountOnlyItsOwnMessages() {
        String recipient = "iso-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
        RestAssured.given().baseUri(platform.url(Service.MAIL_LOG))
                .header("Authorization", TestTokens.bearer("acme", "app")).contentType("application/json")
                .body(Map.of("messageId", "<" + UUID.randomUUID() + "@acme>", "from", "shop@acme.example", "to",
                        List.of(recipient), "sentAt", Instant.now().toString()))
                .post("/v1/messages").then().statusCode(201).body("messages", equalTo(1));

        RestAssured.given().baseUri(platform.url(Service.MAIL_LOG))
                .header("Authorization", TestTokens.bearer("acme", "operator")).queryParam("recipient", recipient)
                .get("/v1/messages").then().statusCode(200).body("items", hasSize(1));
        RestAssured.given().baseUri(platform.url(Service.MAIL_LOG))
                .header("Authorization", TestTokens.bearer("platform", "operator")).queryParam("recipient", recipient)
                .get("/v1/messages").then().statusCode(200).body("items", hasSize(0));
    }
}
