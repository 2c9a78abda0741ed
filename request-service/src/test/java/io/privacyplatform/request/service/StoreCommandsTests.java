package io.privacyplatform.request.service;

import static io.privacyplatform.request.RequestFixtures.CODEC;
import static io.privacyplatform.request.RequestFixtures.WAIT;
import static io.privacyplatform.request.RequestFixtures.at;
import static io.privacyplatform.request.RequestFixtures.clock;
import static io.privacyplatform.request.RequestFixtures.post;
import static io.privacyplatform.request.RequestFixtures.publish;
import static io.privacyplatform.request.RequestFixtures.subject;
import static io.privacyplatform.request.RequestFixtures.submitted;
import static io.privacyplatform.request.RequestFixtures.verifiedBody;
import static io.privacyplatform.request.service.RequestDataRetentionTests.actions;
import static io.privacyplatform.request.service.RequestDataRetentionTests.completedExport;
import static io.privacyplatform.request.service.RequestDataRetentionTests.parts;
import static io.privacyplatform.request.service.RequestDataRetentionTests.row;
import static io.privacyplatform.request.service.RequestDataRetentionTests.verification;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.privacyplatform.events.EventEnvelope;
import io.privacyplatform.events.SubjectPseudonym;
import io.privacyplatform.events.Topics;
import io.privacyplatform.events.payload.AckOutcome;
import io.privacyplatform.events.payload.CommandAck;
import io.privacyplatform.events.payload.CommandKind;
import io.privacyplatform.events.payload.CommandSubject;
import io.privacyplatform.events.payload.PrivacyCommand;
import io.privacyplatform.events.payload.Retained;
import io.privacyplatform.testing.PlatformTestResource;
import io.privacyplatform.testing.TestDatabase;
import io.privacyplatform.testing.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/** request-service as the store "request-service": ERASE and EXPORT commands over the real broker and database. */
@QuarkusTest
class StoreCommandsTests {

    @Inject
    SubjectPseudonym pseudonym;

    @Test
    void shouldEraseTheSubjectsCopiesButKeepWhatAnOpenRequestNeedsAndSaySo() {
        clock().set(at("2025-05-01T10:00:00Z"));
        String subject = subject();
        String other = subject();
        String access = completedExport(pseudonym, "acme", subject);
        Map<String, Object> body = verifiedBody("rectification", subject);
        body.put("rectification", Map.of("lastName", "Doe-Smith"));
        String key = "idem-" + UUID.randomUUID();
        String rectification = given().header("Authorization", TestTokens.bearer("acme", "app"))
                .header("Idempotency-Key", key).contentType(ContentType.JSON).body(body).post("/v1/requests")
                .then().statusCode(201).extract().path("requestId");
        post("acme", "operator", "/v1/requests/" + rectification + "/denial", Map.of("reason", "no such account"))
                .statusCode(200);
        String erasure = submitted("acme", verifiedBody("erasure", subject));
        String othersAccess = completedExport(pseudonym, "acme", other);

        PrivacyCommand command = command(CommandKind.ERASE, subject, erasure);
        CommandAck ack = ackOf(command);

        assertThat(ack.outcome()).isEqualTo(AckOutcome.DONE);
        assertThat(ack.system()).isEqualTo("request-service");
        // The export copy and address of the access request, the address and values of the rectification, the
        // stored answer: five records.
        assertThat(ack.records()).isEqualTo(5);
        assertThat(ack.retained()).extracting(Retained::category).containsOnly("rights_request_records");
        assertThat(ack.retained()).extracting(Retained::basis).containsExactly(
                "pending rights request (Art. 12 GDPR)",
                "accountability for answered rights requests (Art. 5(2) GDPR)");

        assertThat(parts(access)).isZero();
        assertThat(row(access).get("contact_email")).isNull();
        assertThat(row(rectification).get("contact_email")).isNull();
        assertThat(row(rectification).get("rectification")).isEqualTo("{}");
        assertThat(TestDatabase.count("SELECT count(*) FROM idempotency_key WHERE idempotency_key = ?", key))
                .isZero();
        // The open erasure still has what it needs to finish (its outcome goes to the requester).
        assertThat(row(erasure).get("contact_email")).isEqualTo("jane.doe@example.com");
        // The audit chains stay, and stay valid; another subject is untouched.
        assertThat(actions(access)).endsWith("personal_data_erased");
        verification(access).body("valid", equalTo(true));
        verification(rectification).body("valid", equalTo(true));
        assertThat(parts(othersAccess)).isEqualTo(1);
        assertThat(row(othersAccess).get("contact_email")).isEqualTo("jane.doe@example.com");
        given().header("Authorization", TestTokens.bearer("acme", "app")).get("/v1/requests/" + access + "/export")
                .then().statusCode(410);
    }

    @Test
    void shouldExportTheSubjectsRequests() {
        clock().set(at("2025-05-01T10:00:00Z"));
        String subject = subject();
        String erasure = submitted("acme", verifiedBody("erasure", subject));
        post("acme", "operator", "/v1/requests/" + erasure + "/denial", Map.of("reason", "legal obligation"))
                .statusCode(200);
        // Oldest first: the access request comes a minute later.
        clock().advance(Duration.ofMinutes(1));
        String access = submitted("acme", verifiedBody("access", subject));
        submitted("acme", verifiedBody("access", subject()));

        CommandAck ack = ackOf(command(CommandKind.EXPORT, subject, access));

        assertThat(ack.outcome()).isEqualTo(AckOutcome.DONE);
        assertThat(ack.records()).isEqualTo(2);
        assertThat(ack.data().size()).isEqualTo(2);
        assertThat(ack.data().get(0).get("requestId").asText()).isEqualTo(erasure);
        assertThat(ack.data().get(0).get("type").asText()).isEqualTo("erasure");
        assertThat(ack.data().get(0).get("status").asText()).isEqualTo("denied");
        assertThat(ack.data().get(0).get("outcomeReason").asText()).isEqualTo("legal obligation");
        assertThat(ack.data().get(0).get("receivedAt").asText()).isEqualTo("2025-05-01T10:00:00Z");
        assertThat(ack.data().get(1).get("requestId").asText()).isEqualTo(access);
        assertThat(ack.data().toString()).doesNotContain("example.com");
    }

    private PrivacyCommand command(CommandKind kind, String subject, String requestId) {
        PrivacyCommand command = PrivacyCommand.of(kind, "acme", StoreCommands.SYSTEM, requestId,
                new CommandSubject(subject, null), List.of(), null, null, Instant.now(), null);
        publish(Topics.COMMAND, CODEC.envelope("/services/retention-service", "acme", pseudonym.of("acme", subject),
                command));
        return command;
    }

    private static CommandAck ackOf(PrivacyCommand command) {
        return await().atMost(WAIT).until(() -> PlatformTestResource.kafka().readAll(Topics.COMMAND_ACK).stream()
                .map(r -> CODEC.decode(EventEnvelope.fromRecord(r), CommandAck.class))
                .filter(a -> a.commandId().equals(command.commandId())).findFirst().orElse(null), Objects::nonNull);
    }
}
