package io.privacyplatform.retention.service;

import static io.privacyplatform.retention.RetentionFixtures.*;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.core.type.TypeReference;

import io.privacyplatform.events.Topics;
import io.privacyplatform.events.payload.CommandKind;
import io.privacyplatform.events.payload.PrivacyCommand;
import io.privacyplatform.events.payload.RequestProgress;
import io.privacyplatform.events.payload.RequestProgress.SystemProgress;
import io.privacyplatform.events.payload.RightsRequestChanged;
import io.privacyplatform.retention.SimulatedStore;
import io.privacyplatform.testing.MutableClock;
import io.privacyplatform.testing.TestDatabase;
import io.privacyplatform.testing.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import io.restassured.http.ContentType;

@QuarkusTest
@SuppressWarnings("unchecked")
class LegalHoldIT {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String OPERATOR = TestTokens.bearer("acme", "operator");

    @Inject
    DeferredErasures deferredErasures;

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
                .body("systems.find { it.system == '" + crm + "' }.outcome", equalTo("DONE"))
                // The hold keeps billing data: the subject's data key must stay, and the certificate says why.
                .body("cryptoShredded", equalTo(false))
                .body("cryptoShreddingReason", org.hamcrest.Matchers.containsString("legal holds keep billing"));
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

    @Test
    void shouldEraseWhatAReleasedHoldDeferredAndAmendTheSignedCertificate() throws Exception {
        String invoices = unique("invoices");
        String crm = unique("crm");
        registerSystem(invoices, List.of("billing"), List.of("erase"), "PT30S");
        registerSystem(crm, List.of("contact", "billing"), List.of("erase"), "PT30S");
        RightsRequestChanged request = verified("acme", "erasure", unique("subj"));
        String requestId = request.requestId();
        String holdId = placeHold(request.subjectId(), "billing", "dispute 2026-17", null);

        try (SimulatedStore invoiceStore = SimulatedStore.erasing(invoices, "invoice-1", "invoice-2");
                SimulatedStore crmStore = SimulatedStore.erasing(crm, "contact-1")) {
            send(Topics.RIGHTS_REQUEST, envelope(request));
            await().atMost(WAIT).until(() -> RequestProgress.COMPLETED.equals(requestState(requestId)));
            Map<String, Object> original = certificate(requestId);
            assertThat(original).doesNotContainKey("amendments").containsEntry("cryptoShredded", false);

            // A release needs a reason; another tenant's hold is not found.
            given().header("Authorization", OPERATOR).delete("/v1/holds/{id}", holdId).then().statusCode(400)
                    .body("error.details[0].field", equalTo("reason"));
            given().header("Authorization", TestTokens.bearer("globex", "operator")).contentType(ContentType.JSON)
                    .body(Map.of("reason", "x")).post("/v1/holds/{id}/release", holdId).then().statusCode(404);
            assertThat(commandsOn(requestId)).hasSize(1);

            given().header("Authorization", OPERATOR).contentType(ContentType.JSON)
                    .body(Map.of("reason", "dispute settled")).post("/v1/holds/{id}/release", holdId).then()
                    .statusCode(200).body("active", equalTo(false)).body("releaseReason", equalTo("dispute settled"))
                    .body("releasedBy", org.hamcrest.Matchers.notNullValue())
                    .body("releasedAt", org.hamcrest.Matchers.notNullValue());

            // The deferred billing erasure goes to both systems that kept it, with the subject.
            List<PrivacyCommand> sent = await().atMost(WAIT).until(() -> commandsOn(requestId), c -> c.size() == 3);
            assertThat(sent.subList(1, 3)).allSatisfy(c -> {
                assertThat(c.kind()).isEqualTo(CommandKind.ERASE);
                assertThat(c.categories()).containsExactly("billing");
                assertThat(c.subject().subjectId()).isEqualTo(request.subjectId());
            }).extracting(PrivacyCommand::targetSystem).containsExactlyInAnyOrder(invoices, crm);

            // Once both answered, the certificate is amended: original content kept, the deferral shown done.
            Map<String, Object> amended = await().atMost(WAIT).until(() -> certificate(requestId),
                    c -> c.containsKey("amendments"));
            assertThat(amended.get("held")).isEqualTo(original.get("held"));
            assertThat(amended.get("systems")).isEqualTo(original.get("systems"));
            assertThat(amended.get("issuedAt")).isEqualTo(original.get("issuedAt"));
            List<Map<String, Object>> amendments = (List<Map<String, Object>>) amended.get("amendments");
            assertThat(amendments).singleElement().satisfies(a -> {
                assertThat(a.get("supersedes")).isEqualTo(original.get("signature"));
                assertThat(a.get("released")).isEqualTo(List.of(Map.of("category", "billing",
                        "reason", "hold released: dispute settled")));
                List<Map<String, Object>> systems = (List<Map<String, Object>>) a.get("systems");
                assertThat(systems).extracting(m -> m.get("system")).containsExactlyInAnyOrder(invoices, crm);
                assertThat(systems).allSatisfy(m -> {
                    assertThat(m.get("outcome")).isEqualTo("DONE");
                    assertThat(m.get("categories")).isEqualTo(List.of("billing"));
                });
                assertThat(systems).filteredOn(m -> invoices.equals(m.get("system")))
                        .singleElement().satisfies(m -> assertThat(m.get("records")).isEqualTo(2));
                // Nothing of the subject is kept any more: now its data key is destroyed, and the amendment says so.
                assertThat(a.get("cryptoShredded")).isEqualTo(true);
                assertThat((List<Map<String, Object>>) a.get("subjectKeys")).singleElement()
                        .satisfies(k -> assertThat(k).containsKeys("keyId", "destroyedAt"));
            });
            assertThat(verifies(amended)).isTrue();
        }

        // Nothing of the subject is left behind; the release is on record and shown; a second release is refused.
        assertThat(TestDatabase.count("SELECT count(*) FROM deferred_erasure WHERE request_id = ?"
                + " AND (state <> 'done' OR subject IS NOT NULL)", requestId)).isZero();
        assertThat(TestDatabase.count("SELECT count(*) FROM subject_command WHERE request_id = ?"
                + " AND payload IS NOT NULL", requestId)).isZero();
        given().header("Authorization", OPERATOR).get("/v1/requests/{id}/commands", requestId).then()
                .statusCode(200).body("commands.findAll { it.releaseId != null }", hasSize(2));
        given().header("Authorization", OPERATOR).get("/v1/holds").then().statusCode(200)
                .body("items.find { it.id == '" + holdId + "' }.releaseReason", equalTo("dispute settled"))
                .body("items.find { it.id == '" + holdId + "' }.active", equalTo(false));
        given().header("Authorization", OPERATOR).queryParam("reason", "again").delete("/v1/holds/{id}", holdId)
                .then().statusCode(409).body("error.code", equalTo("hold_already_released"));
    }

    @Test
    void shouldEraseWhatAnExpiredHoldDeferredOnTheSweepOnly() {
        String archive = unique("archive");
        registerSystem(archive, List.of("billing"), List.of("erase"), "PT30S");
        RightsRequestChanged request = verified("acme", "erasure", unique("subj"));
        String requestId = request.requestId();
        placeHold(request.subjectId(), "billing", "audit", MutableClock.shared().instant().plus(Duration.ofDays(2)));
        // A second, open-ended hold of another subject on the same category changes nothing for this one.
        placeHold(unique("other"), "billing", "other dispute", null);

        try (SimulatedStore store = SimulatedStore.erasing(archive, "b-1")) {
            send(Topics.RIGHTS_REQUEST, envelope(request));
            await().atMost(WAIT).until(() -> RequestProgress.COMPLETED.equals(requestState(requestId)));
            assertThat(deferredErasures.sweep()).isZero();
            assertThat(commandsOn(requestId)).isEmpty();

            MutableClock.shared().advance(Duration.ofDays(3));
            assertThat(deferredErasures.sweep()).isEqualTo(1);
            assertThat(deferredErasures.sweep()).isZero();
            await().atMost(WAIT).until(() -> commandsOn(requestId), c -> c.size() == 1);
            Map<String, Object> amended = await().atMost(WAIT).until(() -> certificate(requestId),
                    c -> c.containsKey("amendments"));
            List<Map<String, Object>> amendments = (List<Map<String, Object>>) amended.get("amendments");
            assertThat(amendments).singleElement().satisfies(a -> assertThat(
                    ((List<Map<String, Object>>) a.get("released")).get(0).get("reason").toString())
                    .startsWith("hold expired at"));
            assertThat(store.handled()).singleElement().satisfies(c -> assertThat(c.categories())
                    .containsExactly("billing"));
        }
    }

    private static String placeHold(String subjectId, String category, String reason, java.time.Instant until) {
        Map<String, Object> body = new java.util.HashMap<>(Map.of("subjectId", subjectId, "categories",
                List.of(category), "reason", reason));
        if (until != null) {
            body.put("until", until.toString());
        }
        return given().header("Authorization", OPERATOR).contentType(ContentType.JSON).body(body)
                .post("/v1/holds").then().statusCode(201).extract().path("id");
    }

    private static Map<String, Object> certificate(String requestId) throws Exception {
        String json = given().header("Authorization", TestTokens.bearer("acme", "app"))
                .get("/v1/requests/{id}/certificate", requestId).then().statusCode(200).extract().asString();
        return CertificateSigner.CANONICAL.readValue(json, new TypeReference<Map<String, Object>>() {
        });
    }

    /** The whole amended certificate verifies with the published key, as the original did. */
    private static boolean verifies(Map<String, Object> certificate) throws Exception {
        Map<String, Object> unsigned = new java.util.TreeMap<>(certificate);
        String signature = (String) unsigned.remove("signature");
        String publicKey = publishedKey(unsigned.get("keyId"));
        return ErasureOrchestratorIT.verify(publicKey,
                CertificateSigner.CANONICAL.writeValueAsString(unsigned).getBytes(StandardCharsets.UTF_8), signature);
    }
}
