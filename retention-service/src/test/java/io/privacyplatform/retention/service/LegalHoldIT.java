package io.privacyplatform.retention.service;

import static io.privacyplatform.retention.RetentionFixtures.*;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.privacyplatform.events.Topics;
import io.privacyplatform.events.payload.PrivacyCommand;
import io.privacyplatform.events.payload.RequestProgress;
import io.privacyplatform.events.payload.RequestProgress.SystemProgress;
import io.privacyplatform.events.payload.RightsRequestChanged;
import io.privacyplatform.retention.SimulatedStore;
import io.privacyplatform.testing.MutableClock;
import io.privacyplatform.testing.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

@QuarkusTest
class LegalHoldIT {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @BeforeEach
    void cleanDataMap() {
        resetDataMap();
    }

    @Test
    void shouldSkipHeldBillingAndShowItInProgressOutcomeAndCertificate() {
        String invoices = unique("invoices");
        String crm = unique("crm");
        registerSystem(invoices, List.of("billing"), List.of("erase"), "PT30S");
        registerSystem(crm, List.of("contact", "billing"), List.of("erase"), "PT30S");
        RightsRequestChanged request = verified("acme", "erasure", unique("subj"));
        String requestId = request.requestId();
        given().header("Authorization", TestTokens.bearer("acme", "operator")).contentType(ContentType.JSON)
                .body(Map.of("subjectId", request.subjectId(), "categories", List.of("billing"),
                        "reason", "tax record: invoices kept 10 years",
                        "until", MutableClock.shared().instant().plus(Duration.ofDays(3650)).toString()))
                .post("/v1/holds").then().statusCode(201).body("active", equalTo(true));

        try (SimulatedStore crmStore = SimulatedStore.erasing(crm, "contact-1")) {
            send(Topics.RIGHTS_REQUEST, envelope(request));
            await().atMost(WAIT).until(() -> RequestProgress.COMPLETED.equals(requestState(requestId)));
            assertThat(crmStore.handled()).singleElement()
                    .satisfies(c -> assertThat(c.categories()).containsExactly("contact"));
        }
        // Nothing was sent to the system that holds only billing.
        List<PrivacyCommand> sent = await().atMost(WAIT).until(() -> commandsOn(requestId), c -> c.size() == 1);
        assertThat(sent).singleElement().satisfies(c -> assertThat(c.targetSystem()).isEqualTo(crm));

        // Progress: the billing-only system is held with the reason; the other names the held category.
        RequestProgress initial = await().atMost(WAIT).until(() -> progressOf(requestId), p -> p.size() == 2)
                .get(0);
        SystemProgress held = initial.systems().stream().filter(s -> invoices.equals(s.system())).findFirst()
                .orElseThrow();
        assertThat(held.state()).isEqualTo("held");
        assertThat(held.detail()).contains("billing").contains("tax record");
        SystemProgress partial = initial.systems().stream().filter(s -> crm.equals(s.system())).findFirst()
                .orElseThrow();
        assertThat(partial.detail()).isEqualTo("held: billing");

        // Outcome for the operator.
        given().header("Authorization", TestTokens.bearer("acme", "operator"))
                .get("/v1/requests/{id}/commands", requestId).then().statusCode(200)
                .body("state", equalTo("completed"))
                .body("commands.find { it.system == '" + invoices + "' }.state", equalTo("held"))
                .body("commands.find { it.system == '" + invoices + "' }.outcome", equalTo("HELD"))
                .body("commands.find { it.system == '" + crm + "' }.heldCategories", containsInAnyOrder("billing"))
                .body("commands.find { it.system == '" + crm + "' }.categories", containsInAnyOrder("contact"));

        // Certificate.
        given().header("Authorization", TestTokens.bearer("acme", "app"))
                .get("/v1/requests/{id}/certificate", requestId).then().statusCode(200)
                .body("held", hasSize(1))
                .body("held[0].category", equalTo("billing"))
                .body("held[0].reason", equalTo("tax record: invoices kept 10 years"))
                .body("systems.find { it.system == '" + invoices + "' }.outcome", equalTo("HELD"))
                .body("systems.find { it.system == '" + crm + "' }.outcome", equalTo("DONE"));
    }

    @Test
    void shouldNotApplyAnExpiredOrAnotherTenantsHold() {
        String crm = unique("crm");
        registerSystem(crm, List.of("billing"), List.of("erase"), "PT30S");
        RightsRequestChanged request = verified("acme", "erasure", unique("subj"));
        given().header("Authorization", TestTokens.bearer("globex", "operator")).contentType(ContentType.JSON)
                .body(Map.of("subjectId", request.subjectId(), "categories", List.of("billing"), "reason", "dispute"))
                .post("/v1/holds").then().statusCode(201);
        send(Topics.RIGHTS_REQUEST, envelope(request));
        List<PrivacyCommand> sent = await().atMost(WAIT).until(() -> commandsOn(request.requestId()),
                c -> c.size() == 1);
        assertThat(sent.get(0).categories()).containsExactly("billing");
    }
}
