package io.privacyplatform.request.rest;

import static io.privacyplatform.request.RequestFixtures.at;
import static io.privacyplatform.request.RequestFixtures.body;
import static io.privacyplatform.request.RequestFixtures.changes;
import static io.privacyplatform.request.RequestFixtures.clock;
import static io.privacyplatform.request.RequestFixtures.get;
import static io.privacyplatform.request.RequestFixtures.notifications;
import static io.privacyplatform.request.RequestFixtures.post;
import static io.privacyplatform.request.RequestFixtures.subject;
import static io.privacyplatform.request.RequestFixtures.submit;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.privacyplatform.events.payload.Notification;
import io.privacyplatform.events.payload.RightsRequestChanged;
import io.privacyplatform.testing.TestDatabase;
import io.privacyplatform.testing.TestTokens;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class ProcessorRoutingTests {

    @Test
    void shouldRedirectToTheControllerWithACopyOnItsOwnClock() {
        String controller = "ctl-" + UUID.randomUUID().toString().substring(0, 8);
        String subject = subject();
        clock().set(at("2025-03-15T09:30:00Z"));
        Map<String, Object> body = body("erasure", subject);
        body.put("controllerTenantId", controller);
        var created = submit("platform", body).statusCode(201).body("status", equalTo("redirected"))
                .body("routing.controllerTenantId", equalTo(controller)).extract();
        String original = created.path("requestId");
        String copy = created.path("routing.controllerRequestId");

        // The copy is in the controller's queue, received now, due 30 days later.
        clock().set(at("2025-03-20T09:30:00Z"));
        get(controller, copy).statusCode(200).body("status", equalTo("received_from_processor"))
                .body("receivedAt", equalTo("2025-03-15T09:30:00Z"))
                .body("dueAt", equalTo("2025-04-14T09:30:00Z"))
                .body("daysLeft", equalTo(25))
                .body("routing.processorTenantId", equalTo("platform"))
                .body("routing.processorRequestId", equalTo(original));
        // Neither tenant sees the other's copy.
        get("platform", copy).statusCode(404);
        get(controller, original).statusCode(404);
        given().header("Authorization", TestTokens.bearer(controller, "operator")).get("/v1/requests").then()
                .body("items.requestId", equalTo(List.of(copy)));
        assertThat(TestDatabase.count("SELECT count(*) FROM rights_request WHERE tenant_id = ?", controller))
                .isEqualTo(1);

        // The requester learns who the controller is; nothing is executed for the platform.
        Notification outcome = notifications(original, 1).get(0);
        assertThat(outcome.kind()).isEqualTo(Notification.REQUEST_OUTCOME);
        assertThat(outcome.recipient()).isEqualTo("jane.doe@example.com");
        assertThat(outcome.params()).containsEntry("outcome", "redirected").containsEntry("controllerTenantId",
                controller);
        assertThat(changes(original, 1)).extracting(RightsRequestChanged::status).containsExactly("redirected");
        post("platform", "operator", "/v1/requests/" + original + "/cancellation", null).statusCode(409);

        // The controller verifies the identity and the work starts in its name.
        post(controller, "operator", "/v1/requests/" + copy + "/verification", Map.of("verifiedBy", "support-call"))
                .statusCode(200).body("status", equalTo("verified"));
        List<RightsRequestChanged> copyEvents = changes(copy, 2);
        assertThat(copyEvents).extracting(RightsRequestChanged::status)
                .containsExactly("received_from_processor", "verified");
        assertThat(copyEvents.get(1).tenantId()).isEqualTo(controller);
        assertThat(copyEvents.get(1).contactEmail()).isEqualTo("jane.doe@example.com");
    }

    @Test
    void shouldRefuseRoutingToThePlatformItself() {
        Map<String, Object> body = body("erasure", subject());
        body.put("controllerTenantId", "platform");
        submit("platform", body).statusCode(400).body("error.details[0].field", equalTo("controllerTenantId"));
    }
}
