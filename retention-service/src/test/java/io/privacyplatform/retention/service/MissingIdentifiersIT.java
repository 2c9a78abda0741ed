package io.privacyplatform.retention.service;

import static io.privacyplatform.retention.RetentionFixtures.*;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.privacyplatform.events.Topics;
import io.privacyplatform.events.payload.CommandKind;
import io.privacyplatform.events.payload.PrivacyCommand;
import io.privacyplatform.events.payload.RequestProgress;
import io.privacyplatform.events.payload.RequestProgress.SystemProgress;
import io.privacyplatform.events.payload.RightsRequestChanged;
import io.privacyplatform.retention.SimulatedStore;
import io.privacyplatform.testing.TestDatabase;
import io.privacyplatform.testing.TestTokens;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class MissingIdentifiersIT {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @BeforeEach
    void cleanDataMap() {
        resetDataMap();
    }

    @Test
    @SuppressWarnings("unchecked")
    void shouldNotSearchASystemWithoutTheIdentifierItNeedsUntilAnOperatorAddsIt() {
        String crm = unique("crm");
        String mailLog = unique("mail-log");
        registerSystem(crm, List.of("contact"), List.of("erase"), List.of("subjectId"));
        registerSystem(mailLog, List.of("email_headers"), List.of("erase"), List.of("email"));
        RightsRequestChanged request = withoutEmail(verified("acme", "erasure", unique("subj")));
        String requestId = request.requestId();

        try (SimulatedStore crmStore = SimulatedStore.erasing(crm, "crm-1");
                SimulatedStore mailStore = SimulatedStore.erasing(mailLog, "mail-1", "mail-2")) {
            send(Topics.RIGHTS_REQUEST, envelope(request));

            // The crm is searched and answers; the mail log gets nothing, and the request waits for an operator.
            await().atMost(WAIT).until(() -> TestDatabase.count("SELECT count(*) FROM subject_command"
                    + " WHERE request_id = ? AND system_id = ? AND state = 'done'", requestId, crm) == 1);
            RequestProgress waiting = await().atMost(WAIT).until(() -> progressOf(requestId),
                    p -> p.size() >= 2).get(1);
            assertThat(waiting.state()).isEqualTo(RequestProgress.ACTION_REQUIRED);
            assertThat(waiting.reason()).contains(mailLog).contains("email").doesNotContain(crm);
            SystemProgress mailEntry = waiting.systems().stream().filter(s -> mailLog.equals(s.system()))
                    .findFirst().orElseThrow();
            assertThat(mailEntry.state()).isEqualTo(SystemProgress.ACTION_REQUIRED);
            assertThat(mailEntry.missingIdentifiers()).containsExactly("email");
            assertThat(requestState(requestId)).isEqualTo("action_required");
            assertThat(commandsOn(requestId)).extracting(PrivacyCommand::targetSystem).containsExactly(crm);
            assertThat(mailStore.handled()).isEmpty();
            given().header("Authorization", TestTokens.bearer("acme", "operator"))
                    .get("/v1/requests/{id}/commands", requestId).then().statusCode(200)
                    .body("state", org.hamcrest.Matchers.equalTo("action_required"))
                    .body("commands.find { it.system == '" + mailLog + "' }.state",
                            org.hamcrest.Matchers.equalTo("action_required"))
                    .body("commands.find { it.system == '" + mailLog + "' }.missingIdentifiers",
                            org.hamcrest.Matchers.equalTo(List.of("email")));
            given().header("Authorization", TestTokens.bearer("acme", "app"))
                    .get("/v1/requests/{id}/certificate", requestId).then().statusCode(404);

            // The operator adds the address (the event arrives twice): the mail log is searched once, by it.
            String waitingCommandId = mailEntry.commandId();
            var added = envelope(followUp(request, RightsRequestChanged.IDENTIFIERS_ADDED, "found@example.com"));
            send(Topics.RIGHTS_REQUEST, added, added,
                    envelope(followUp(request, RightsRequestChanged.IDENTIFIERS_ADDED, "found@example.com")));
            await().atMost(WAIT).until(() -> "completed".equals(requestState(requestId)));
            assertThat(mailStore.handled()).singleElement().satisfies(c -> {
                assertThat(c.commandId()).isEqualTo(waitingCommandId);
                assertThat(c.kind()).isEqualTo(CommandKind.ERASE);
                assertThat(c.subject().email()).isEqualTo("found@example.com");
                assertThat(c.subject().subjectId()).isEqualTo(request.subjectId());
                assertThat(c.attempt()).isEqualTo(1);
            });
            assertThat(crmStore.handled()).hasSize(1);
        }
        assertThat(commandsOn(requestId)).extracting(PrivacyCommand::targetSystem)
                .containsExactlyInAnyOrder(crm, mailLog);
        List<RequestProgress> progress = await().atMost(WAIT).until(() -> progressOf(requestId),
                p -> p.stream().anyMatch(e -> RequestProgress.COMPLETED.equals(e.state())));
        assertThat(progress.stream().filter(e -> RequestProgress.COMPLETED.equals(e.state()))).hasSize(1);

        // Both systems were searched with what they need, so the certificate covers both.
        Map<String, Object> certificate = given().header("Authorization", TestTokens.bearer("acme", "app"))
                .get("/v1/requests/{id}/certificate", requestId).then().statusCode(200).extract().as(Map.class);
        assertThat((List<Map<String, Object>>) certificate.get("systems")).extracting(s -> s.get("system"))
                .containsExactlyInAnyOrder(crm, mailLog);
        assertThat(TestDatabase.count("SELECT count(*) FROM subject_command WHERE request_id = ?"
                + " AND payload IS NOT NULL", requestId)).isZero();
    }

    @Test
    void shouldSendEveryCommandAtOnceWhenTheRequestHasEveryIdentifier() {
        String mailLog = unique("mail-log");
        registerSystem(mailLog, List.of("email_headers"), List.of("export"), List.of("subjectId", "email"));
        RightsRequestChanged request = verified("acme", "access", unique("subj"));
        send(Topics.RIGHTS_REQUEST, envelope(request));
        List<PrivacyCommand> sent = await().atMost(WAIT).until(() -> commandsOn(request.requestId()),
                c -> !c.isEmpty());
        assertThat(sent).singleElement().satisfies(c -> {
            assertThat(c.targetSystem()).isEqualTo(mailLog);
            assertThat(c.subject().email()).isEqualTo(request.contactEmail());
        });
        assertThat(progressOf(request.requestId())).singleElement()
                .satisfies(p -> assertThat(p.state()).isEqualTo(RequestProgress.IN_PROGRESS));
    }
}
