package io.privacyplatform.retention.service;

import static io.privacyplatform.retention.RetentionFixtures.*;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;

import io.privacyplatform.events.EventEnvelope;
import io.privacyplatform.events.RecordDigest;
import io.privacyplatform.events.Topics;
import io.privacyplatform.events.payload.CommandAck;
import io.privacyplatform.events.payload.CommandKind;
import io.privacyplatform.events.payload.PrivacyCommand;
import io.privacyplatform.events.payload.RequestProgress;
import io.privacyplatform.events.payload.Retained;
import io.privacyplatform.events.payload.RightsRequestChanged;
import io.privacyplatform.events.subscriber.CommandResult;
import io.privacyplatform.retention.SimulatedStore;
import io.privacyplatform.testing.TestDatabase;
import io.privacyplatform.testing.TestTokens;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class ErasureOrchestratorIT {

    private static final Duration WAIT = Duration.ofSeconds(30);
    /** An independent canonical writer: sorted keys, no whitespace, as documented for certificates. */
    private static final ObjectMapper CANONICAL = JsonMapper.builder()
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS).build();

    @BeforeEach
    void cleanDataMap() {
        resetDataMap();
    }

    @Test
    void shouldCompleteErasureOnceAfterTheThirdAckAndIssueAVerifiableCertificate() throws Exception {
        String crm = unique("crm");
        String billing = unique("billing");
        String analytics = unique("analytics");
        registerSystem(crm, List.of("contact"), List.of("erase", "export"), "PT30S");
        registerSystem(billing, List.of("billing"), List.of("erase"), "PT30S");
        registerSystem(analytics, List.of("usage"), List.of("erase", "purge"), "PT30S");
        RightsRequestChanged request = verified("acme", "erasure", unique("subj"));
        String requestId = request.requestId();

        try (SimulatedStore crmStore = SimulatedStore.erasing(crm, "crm-1", "crm-2");
                SimulatedStore billingStore = SimulatedStore.erasing(billing, "inv-7")) {
            EventEnvelope event = envelope(request);
            // The same event twice, and the same request in a second event (a re-published verification).
            send(Topics.RIGHTS_REQUEST, event, event, envelope(request));

            await().atMost(WAIT).until(() -> TestDatabase.count(
                    "SELECT count(*) FROM subject_command WHERE request_id = ? AND state = 'done'", requestId) == 2);
            assertThat(requestState(requestId)).isEqualTo(RequestProgress.IN_PROGRESS);
            given().header("Authorization", TestTokens.bearer("acme", "app"))
                    .get("/v1/requests/{id}/certificate", requestId).then().statusCode(404);

            try (SimulatedStore analyticsStore = SimulatedStore.erasing(analytics)) {
                await().atMost(WAIT).until(() -> "completed".equals(requestState(requestId)));
            }
            assertThat(crmStore.handled()).hasSize(1);
        }

        // Three commands, one per system, however often the request arrived.
        assertThat(TestDatabase.count("SELECT count(*) FROM subject_command WHERE request_id = ?", requestId))
                .isEqualTo(3);
        List<PrivacyCommand> sent = await().atMost(WAIT).until(() -> commandsOn(requestId), c -> c.size() == 3);
        assertThat(sent).extracting(PrivacyCommand::targetSystem).containsExactlyInAnyOrder(crm, billing, analytics);
        assertThat(sent).extracting(PrivacyCommand::commandId).doesNotHaveDuplicates();
        assertThat(sent).allSatisfy(c -> {
            assertThat(c.kind()).isEqualTo(CommandKind.ERASE);
            assertThat(c.subject().subjectId()).isEqualTo(request.subjectId());
            assertThat(c.deadline()).isEqualTo(request.dueAt());
            assertThat(c.attempt()).isEqualTo(1);
        });

        // One completion, keyed by the subject's pseudonym; the stored commands no longer carry the subject.
        List<ConsumerRecord<String, byte[]>> progress = await().atMost(WAIT).until(
                () -> progressRecordsOf(requestId), p -> p.stream().anyMatch(r -> completed(r)));
        assertThat(progress.stream().filter(ErasureOrchestratorIT::completed)).hasSize(1);
        assertThat(progress).allSatisfy(r -> assertThat(r.key())
                .isEqualTo(PSEUDONYM.of("acme", request.subjectId())));
        assertThat(TestDatabase.count("SELECT count(*) FROM subject_command WHERE request_id = ?"
                + " AND payload IS NOT NULL", requestId)).isZero();

        // The certificate verifies with the published key, and a changed byte does not.
        String json = given().header("Authorization", TestTokens.bearer("acme", "app"))
                .get("/v1/requests/{id}/certificate", requestId).then().statusCode(200).extract().asString();
        Map<String, Object> certificate = CANONICAL.readValue(json, new TypeReference<Map<String, Object>>() {
        });
        String signature = (String) certificate.remove("signature");
        byte[] canonical = CANONICAL.writeValueAsString(certificate).getBytes(StandardCharsets.UTF_8);
        String publicKey = publishedKey(certificate.get("keyId"));
        assertThat(verify(publicKey, canonical, signature)).isTrue();
        byte[] tampered = canonical.clone();
        tampered[tampered.length / 2] ^= 1;
        assertThat(verify(publicKey, tampered, signature)).isFalse();

        assertThat(certificate).containsEntry("requestId", requestId).containsEntry("tenantId", "acme")
                .containsEntry("subjectPseudonym", PSEUDONYM.of("acme", request.subjectId()));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> systems = (List<Map<String, Object>>) certificate.get("systems");
        assertThat(systems).extracting(s -> s.get("system")).containsExactlyInAnyOrder(crm, billing, analytics);
        Map<String, Object> crmEntry = systems.stream().filter(s -> crm.equals(s.get("system"))).findFirst()
                .orElseThrow();
        assertThat(crmEntry).containsEntry("outcome", "DONE").containsEntry("records", 2)
                .containsEntry("digest", RecordDigest.of("crm-1", "crm-2"));
        assertThat(crmEntry.get("completedAt")).isNotNull();

        // Another tenant does not see it.
        given().header("Authorization", TestTokens.bearer("globex", "app"))
                .get("/v1/requests/{id}/certificate", requestId).then().statusCode(404);
    }

    @Test
    @SuppressWarnings("unchecked")
    void shouldCertifyWhatAStoreRetainedAsRetainedAndNeverAsDeleted() throws Exception {
        String consents = unique("consents");
        String crm = unique("crm");
        registerSystem(consents, List.of("consent_records", "marketing_suppression"), List.of("erase"), "PT30S");
        registerSystem(crm, List.of("contact"), List.of("erase"), "PT30S");
        RightsRequestChanged request = verified("acme", "erasure", unique("subj"));
        Retained suppression = Retained.of("marketing_suppression", "do-not-contact list, Art. 21(3) GDPR",
                "keyed hash (HMAC-SHA256, tenant key)");

        try (SimulatedStore consentStore = SimulatedStore.answering(consents,
                c -> CommandResult.done(List.of("consent-1", "consent-2")).withRetained(List.of(suppression)));
                SimulatedStore crmStore = SimulatedStore.erasing(crm, "crm-1")) {
            send(Topics.RIGHTS_REQUEST, envelope(request));
            await().atMost(WAIT).until(() -> "completed".equals(requestState(request.requestId())));
        }
        assertThat(TestDatabase.rows("SELECT retained FROM subject_command WHERE request_id = ? AND system_id = ?",
                request.requestId(), consents).get(0).get("retained").toString())
                .contains("marketing_suppression", "Art. 21(3)");

        String json = given().header("Authorization", TestTokens.bearer("acme", "app"))
                .get("/v1/requests/{id}/certificate", request.requestId()).then().statusCode(200).extract()
                .asString();
        Map<String, Object> certificate = CANONICAL.readValue(json, new TypeReference<Map<String, Object>>() {
        });
        List<Map<String, Object>> systems = (List<Map<String, Object>>) certificate.get("systems");
        Map<String, Object> consentEntry = systems.stream().filter(e -> consents.equals(e.get("system")))
                .findFirst().orElseThrow();
        assertThat(consentEntry).containsEntry("outcome", "DONE").containsEntry("records", 2)
                .containsEntry("deleted", List.of("consent_records"))
                .containsEntry("retained", List.of(Map.of("category", "marketing_suppression",
                        "basis", "do-not-contact list, Art. 21(3) GDPR",
                        "form", "keyed hash (HMAC-SHA256, tenant key)")));
        assertThat(systems.stream().filter(e -> crm.equals(e.get("system"))).findFirst().orElseThrow())
                .containsEntry("deleted", List.of("contact")).doesNotContainKey("retained");

        // What was retained is part of what is signed: leaving it out breaks the signature.
        String signature = (String) certificate.remove("signature");
        String publicKey = publishedKey(certificate.get("keyId"));
        assertThat(verify(publicKey, CANONICAL.writeValueAsBytes(certificate), signature)).isTrue();
        consentEntry.remove("retained");
        assertThat(verify(publicKey, CANONICAL.writeValueAsBytes(certificate), signature)).isFalse();
    }

    @Test
    void shouldHaveOneEffectForDuplicateAcks() {
        String crm = unique("crm");
        registerSystem(crm, List.of("contact"), List.of("erase"), "PT30S");
        String other = unique("other");
        registerSystem(other, List.of("usage"), List.of("erase"), "PT30S");
        RightsRequestChanged request = verified("acme", "erasure", unique("subj"));
        send(Topics.RIGHTS_REQUEST, envelope(request));
        List<PrivacyCommand> sent = await().atMost(WAIT).until(() -> commandsOn(request.requestId()),
                c -> c.size() == 2);
        PrivacyCommand toCrm = sent.stream().filter(c -> crm.equals(c.targetSystem())).findFirst().orElseThrow();
        PrivacyCommand toOther = sent.stream().filter(c -> other.equals(c.targetSystem())).findFirst().orElseThrow();
        String key = PSEUDONYM.of("acme", request.subjectId());

        CommandAck ack = new CommandAck(toCrm.commandId(), crm, "acme", request.requestId(),
                io.privacyplatform.events.payload.AckOutcome.DONE, 1, RecordDigest.of("c-1"), null, null,
                java.time.Instant.now());
        EventEnvelope first = ackEnvelope(ack, "acme", key);
        // The same event twice, the same answer in another event, and an answer from a system that was not asked.
        CommandAck wrongSystem = new CommandAck(toOther.commandId(), crm, "acme", request.requestId(),
                io.privacyplatform.events.payload.AckOutcome.DONE, 5, RecordDigest.of("x"), null, null,
                java.time.Instant.now());
        EventEnvelope repeated = ackEnvelope(ack, "acme", key);
        EventEnvelope impostor = ackEnvelope(wrongSystem, "acme", key);
        send(Topics.COMMAND_ACK, first, first, repeated, impostor);

        await().atMost(WAIT).until(() -> TestDatabase.count("SELECT count(*) FROM inbox_event WHERE consumer ="
                + " 'retention-service/privacy.command.ack.v1' AND event_id IN (?, ?, ?)", first.id(), repeated.id(),
                impostor.id()) == 3);
        assertThat(TestDatabase.rows("SELECT state, records FROM subject_command WHERE command_id = ?",
                toCrm.commandId()).get(0)).containsEntry("state", "done").containsEntry("records", 1L);
        assertThat(TestDatabase.rows("SELECT state FROM subject_command WHERE command_id = ?",
                toOther.commandId()).get(0)).containsEntry("state", "sent");
        // Initial progress, then one for the crm ack: duplicates and the impostor changed nothing.
        List<RequestProgress> progress = await().atMost(WAIT).until(() -> progressOf(request.requestId()),
                p -> p.size() >= 2);
        assertThat(progress).hasSize(2);
        assertThat(progress.get(1).systems()).filteredOn(s -> crm.equals(s.system()))
                .singleElement().satisfies(s -> assertThat(s.state()).isEqualTo("done"));
    }

    @Test
    void shouldRequireActionWhenNoSystemHoldsDataOfThisKind() {
        registerSystem(unique("export-only"), List.of("contact"), List.of("export"), "PT30S");
        RightsRequestChanged request = verified("acme", "erasure", unique("subj"));
        send(Topics.RIGHTS_REQUEST, envelope(request));
        assertRequiresActionWithNothingSent(request);
    }

    @Test
    void shouldRequireActionForAnAutomatedDecisionReview() {
        // Every system could take some command; none applies to a review of an automated decision.
        registerSystem(unique("crm"), List.of("contact"), List.of("erase", "export", "restrict", "rectify"),
                "PT30S");
        RightsRequestChanged request = verified("acme", "automated_decision_review", unique("subj"));
        send(Topics.RIGHTS_REQUEST, envelope(request));
        assertRequiresActionWithNothingSent(request);
    }

    /** Nothing done is not "completed": one action_required progress naming why, no command, no certificate. */
    private static void assertRequiresActionWithNothingSent(RightsRequestChanged request) {
        await().atMost(WAIT).until(() -> "action_required".equals(requestState(request.requestId())));
        List<RequestProgress> progress = await().atMost(WAIT).until(() -> progressOf(request.requestId()),
                p -> !p.isEmpty());
        assertThat(progress).singleElement().satisfies(p -> {
            assertThat(p.state()).isEqualTo(RequestProgress.ACTION_REQUIRED);
            assertThat(p.reason()).isEqualTo("no system holds data of this kind");
            assertThat(p.systems()).isEmpty();
        });
        assertThat(TestDatabase.count("SELECT count(*) FROM subject_command WHERE request_id = ?",
                request.requestId())).isZero();
        assertThat(TestDatabase.rows("SELECT completed_at FROM rights_request WHERE request_id = ?",
                request.requestId()).get(0).get("completed_at")).isNull();
        given().header("Authorization", TestTokens.bearer("acme", "app"))
                .get("/v1/requests/{id}/certificate", request.requestId()).then().statusCode(404);
    }

    @Test
    void shouldSendRestrictForMarketingCategoriesOnObjection() {
        String crm = unique("crm");
        registerSystem(crm, List.of("contact", "marketing_profile"), List.of("restrict", "erase"), "PT30S");
        registerSystem(unique("billing"), List.of("billing"), List.of("restrict"), "PT30S");
        RightsRequestChanged request = verified("acme", "objection", unique("subj"));
        send(Topics.RIGHTS_REQUEST, envelope(request));
        List<PrivacyCommand> sent = await().atMost(WAIT).until(() -> commandsOn(request.requestId()),
                c -> !c.isEmpty());
        assertThat(sent).singleElement().satisfies(c -> {
            assertThat(c.targetSystem()).isEqualTo(crm);
            assertThat(c.kind()).isEqualTo(CommandKind.RESTRICT);
            assertThat(c.categories()).containsExactly("marketing_profile");
        });
    }

    @Test
    void shouldSendRestrictToEveryRestrictingSystemHoldingTheSubjectsCategories() {
        String crm = unique("crm");
        String billing = unique("billing");
        String eraseOnly = unique("erase-only");
        String rectifyOnly = unique("rectify-only");
        registerSystem(crm, List.of("contact", "marketing_profile"), List.of("restrict", "erase"), "PT30S");
        registerSystem(billing, List.of("billing", "usage"), List.of("restrict"), "PT30S");
        registerSystem(eraseOnly, List.of("contact"), List.of("erase"), "PT30S");
        registerSystem(rectifyOnly, List.of("contact"), List.of("rectify"), "PT30S");
        RightsRequestChanged request = verified("acme", "restriction", unique("subj"));
        send(Topics.RIGHTS_REQUEST, envelope(request));

        List<PrivacyCommand> sent = issued(request, CommandKind.RESTRICT, crm, billing);
        // Unlike an objection, a restriction covers every category the system holds, marketing or not.
        assertThat(commandTo(sent, crm).categories()).containsExactlyInAnyOrder("contact", "marketing_profile");
        assertThat(commandTo(sent, billing).categories()).containsExactlyInAnyOrder("billing", "usage");
    }

    @Test
    void shouldSendRectifyWithTheRequestedPairsToEveryRectifyingSystem() {
        String crm = unique("crm");
        String profile = unique("profile");
        String eraseOnly = unique("erase-only");
        registerSystem(crm, List.of("contact"), List.of("rectify", "erase"), "PT30S");
        registerSystem(profile, List.of("contact", "preferences"), List.of("rectify"), "PT30S");
        registerSystem(eraseOnly, List.of("contact"), List.of("erase", "restrict"), "PT30S");
        RightsRequestChanged request = withRectification(verified("acme", "rectification", unique("subj")),
                Map.of("lastName", "Doe-Smith", "street", "Hauptstr. 5"));
        send(Topics.RIGHTS_REQUEST, envelope(request));

        assertThat(issued(request, CommandKind.RECTIFY, crm, profile)).allSatisfy(c -> assertThat(c.rectification())
                .containsExactlyInAnyOrderEntriesOf(Map.of("lastName", "Doe-Smith", "street", "Hauptstr. 5")));
    }

    @Test
    void shouldSendNoRectifyWithoutPairsAndRequireAction() {
        String crm = unique("crm");
        registerSystem(crm, List.of("contact"), List.of("rectify"), "PT30S");
        RightsRequestChanged request = verified("acme", "rectification", unique("subj"));
        send(Topics.RIGHTS_REQUEST, envelope(request));

        assertRequiresActionWithNothingSent(request);
        assertThat(commandsOn(request.requestId())).isEmpty();
    }

    private static RightsRequestChanged withRectification(RightsRequestChanged r, Map<String, String> pairs) {
        return new RightsRequestChanged(r.requestId(), r.tenantId(), r.type(), r.status(), r.previousStatus(),
                r.subjectId(), r.contactEmail(), r.regulation(), r.receivedAt(), r.dueAt(), pairs,
                r.controllerTenantId(), r.reason(), r.occurredAt());
    }

    /**
     * The request's commands on the topic, after checking there is one of {@code kind} to each of {@code systems}
     * and no other, each naming the request, its tenant and subject, keyed by the subject's pseudonym.
     */
    private static List<PrivacyCommand> issued(RightsRequestChanged request, CommandKind kind, String... systems) {
        List<PrivacyCommand> sent = await().atMost(WAIT).until(() -> commandsOn(request.requestId()),
                c -> c.size() >= systems.length);
        // The commands are written in one transaction: what the database holds now is all there will be.
        assertThat(TestDatabase.count("SELECT count(*) FROM subject_command WHERE request_id = ?",
                request.requestId())).isEqualTo(systems.length);
        assertThat(sent).extracting(PrivacyCommand::targetSystem).containsExactlyInAnyOrder(systems);
        assertThat(sent).allSatisfy(c -> {
            assertThat(c.kind()).isEqualTo(kind);
            assertThat(c.requestId()).isEqualTo(request.requestId());
            assertThat(c.tenantId()).isEqualTo(request.tenantId());
            assertThat(c.subject().subjectId()).isEqualTo(request.subjectId());
            assertThat(c.subject().email()).isEqualTo(request.contactEmail());
            assertThat(c.attempt()).isEqualTo(1);
        });
        assertThat(commandRecordsOf(request.requestId())).allSatisfy(r -> assertThat(r.key())
                .isEqualTo(PSEUDONYM.of(request.tenantId(), request.subjectId())));
        return sent;
    }

    private static PrivacyCommand commandTo(List<PrivacyCommand> commands, String system) {
        return commands.stream().filter(c -> system.equals(c.targetSystem())).findFirst().orElseThrow();
    }

    private static List<ConsumerRecord<String, byte[]>> commandRecordsOf(String requestId) {
        return io.privacyplatform.testing.PlatformTestResource.kafka().readAll(Topics.COMMAND).stream()
                .filter(r -> readable(r, PrivacyCommand.class).filter(c -> requestId.equals(c.requestId()))
                        .isPresent())
                .toList();
    }

    private static boolean completed(ConsumerRecord<String, byte[]> record) {
        return RequestProgress.COMPLETED.equals(CODEC.decode(EventEnvelope.fromRecord(record),
                RequestProgress.class).state());
    }

    static boolean verify(String publicKey, byte[] data, String signature) throws Exception {
        PublicKey key = KeyFactory.getInstance("Ed25519")
                .generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(publicKey)));
        Signature verifier = Signature.getInstance("Ed25519");
        verifier.initVerify(key);
        verifier.update(data);
        return verifier.verify(Base64.getDecoder().decode(signature));
    }

}
