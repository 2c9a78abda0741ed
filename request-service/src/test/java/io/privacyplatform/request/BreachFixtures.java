package io.privacyplatform.request;

import static io.restassured.RestAssured.given;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.privacyplatform.events.EventEnvelope;
import io.privacyplatform.events.Topics;
import io.privacyplatform.events.payload.Notification;
import io.privacyplatform.testing.PlatformTestResource;
import io.privacyplatform.testing.TestDatabase;
import io.privacyplatform.testing.TestTokens;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;

/** Recording breaches and reading their notifications, for the breach register's tests and the dashboard's. */
public final class BreachFixtures {

    private BreachFixtures() {
    }

    /** A complete, valid breach body detected at {@code detectedAt}. */
    public static Map<String, Object> breach(String detectedAt) {
        Map<String, Object> body = new HashMap<>();
        body.put("description", "Mail log export left readable on a misconfigured bucket");
        body.put("detectedAt", detectedAt);
        body.put("categories", List.of("email_headers", "contact_details"));
        body.put("approximateSubjects", 1200);
        body.put("systems", List.of("mail-log-store"));
        body.put("likelyConsequences", "Phishing aimed at the recipients");
        body.put("measures", "Bucket closed, access logs reviewed, keys rotated");
        return body;
    }

    public static ValidatableResponse record(String tenant, Map<String, Object> body) {
        return given().header("Authorization", TestTokens.bearer(tenant, "operator")).contentType(ContentType.JSON)
                .body(body).post("/v1/breaches").then();
    }

    /** Records and answers the new breach's id (asserting 201). */
    public static String recorded(String tenant, String detectedAt) {
        return record(tenant, breach(detectedAt)).statusCode(201).extract().path("breachId");
    }

    public static ValidatableResponse patch(String tenant, String id, Object body) {
        return given().header("Authorization", TestTokens.bearer(tenant, "operator")).contentType(ContentType.JSON)
                .body(body).patch("/v1/breaches/" + id).then();
    }

    public static ValidatableResponse get(String tenant, String path) {
        return given().header("Authorization", TestTokens.bearer(tenant, "operator")).get(path).then();
    }

    public static long rows(String tenant) {
        return TestDatabase.count("SELECT count(*) FROM breach WHERE tenant_id = ?",
                tenant);
    }

    /** The notifications of {@code kind} about the breach on privacy.notification.v1, as far as the topic goes now. */
    public static List<Notification> notifications(String breachId, String kind) {
        return PlatformTestResource.kafka().readAll(Topics.NOTIFICATION).stream()
                .map(r -> RequestFixtures.CODEC.decode(EventEnvelope.fromRecord(r), Notification.class))
                .filter(n -> kind.equals(n.kind()) && breachId.equals(n.params().get("breachId"))).toList();
    }

    public static String tenant() {
        return "breach-" + UUID.randomUUID().toString().substring(0, 8);
    }
}
