package io.privacyplatform.request.rest;

import static io.privacyplatform.request.RequestFixtures.CODEC;
import static io.privacyplatform.request.RequestFixtures.WAIT;
import static io.privacyplatform.request.RequestFixtures.at;
import static io.privacyplatform.request.RequestFixtures.changes;
import static io.privacyplatform.request.RequestFixtures.clock;
import static io.privacyplatform.request.RequestFixtures.get;
import static io.privacyplatform.request.RequestFixtures.progress;
import static io.privacyplatform.request.RequestFixtures.publish;
import static io.privacyplatform.request.RequestFixtures.subject;
import static io.privacyplatform.request.RequestFixtures.submitted;
import static io.privacyplatform.request.RequestFixtures.verifiedBody;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.privacyplatform.events.EventEnvelope;
import io.privacyplatform.events.SubjectPseudonym;
import io.privacyplatform.events.Topics;
import io.privacyplatform.events.payload.AckOutcome;
import io.privacyplatform.events.payload.CommandAck;
import io.privacyplatform.events.payload.RequestProgress.SystemProgress;
import io.privacyplatform.events.payload.RightsRequestChanged;
import io.privacyplatform.testing.TestDatabase;
import io.privacyplatform.testing.TestTokens;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class ExportTests {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    SubjectPseudonym pseudonym;

    @Test
    void shouldAssembleTwoSystemsDataAsJsonAndCsvZip() throws Exception {
        clock().set(at("2025-05-01T10:00:00Z"));
        String subject = subject();
        String id = submitted("acme", verifiedBody("portability", subject));
        String key = pseudonym.of("acme", subject);
        JsonNode mails = JSON.readTree("""
                {"mails":[{"id":"mail-1842","sentAt":"2025-03-02T08:00:00Z","template":"welcome"},
                          {"id":"mail-1907","sentAt":"2025-03-09T08:00:00Z","template":"invoice, March",
                           "headers":{"from":"billing@example.com"}}]}""");
        JsonNode consents = JSON.readTree("""
                [{"purpose":"marketing-email","decision":"granted"},{"purpose":"=cmd()","decision":"denied"}]""");
        Map<String, String> commands = Map.of("mail-log-store", UUID.randomUUID().toString(), "consent-service",
                UUID.randomUUID().toString(), "crm", UUID.randomUUID().toString());
        publish(Topics.REQUEST_PROGRESS, progress("acme", key, id, "in_progress", at("2025-05-01T10:00:01Z"),
                sent("mail-log-store", commands), sent("consent-service", commands), sent("crm", commands)));
        publish(Topics.COMMAND_ACK,
                ack("acme", key, id, "mail-log-store", commands.get("mail-log-store"), 2, mails),
                ack("acme", key, id, "consent-service", commands.get("consent-service"), 2, consents),
                ack("acme", key, id, "crm", commands.get("crm"), 0, null));
        await().atMost(WAIT).until(() -> TestDatabase.count("SELECT count(*) FROM export_part WHERE request_id = ?",
                UUID.fromString(id)) == 2);
        export(id, null).statusCode(404);

        publish(Topics.REQUEST_PROGRESS, progress("acme", key, id, "completed", at("2025-05-02T10:00:00Z"),
                done("mail-log-store", commands, 2), done("consent-service", commands, 2), notFound("crm", commands)));
        await().atMost(WAIT).untilAsserted(() -> get("acme", id).body("status", equalTo("completed")));

        JsonNode document = JSON.readTree(export(id, null).statusCode(200).contentType("application/json")
                .extract().asString());
        assertThat(document.get("requestId").asText()).isEqualTo(id);
        assertThat(document.at("/manifest/systemsAsked").toString())
                .isEqualTo("[\"consent-service\",\"crm\",\"mail-log-store\"]");
        assertThat(document.at("/manifest/systemsAnswered").toString())
                .isEqualTo("[\"consent-service\",\"mail-log-store\"]");
        assertThat(document.at("/manifest/records/mail-log-store").asLong()).isEqualTo(2);
        assertThat(document.at("/systems/mail-log-store")).isEqualTo(mails);
        assertThat(document.at("/systems/consent-service")).isEqualTo(consents);

        byte[] zip = export(id, "csv").statusCode(200).contentType("application/zip").extract().asByteArray();
        Map<String, String> files = unzip(zip);
        assertThat(files).containsOnlyKeys("manifest.json", "mail-log-store.csv", "consent-service.csv");
        assertThat(files.get("mail-log-store.csv")).isEqualTo(
                "record_type,id,sentAt,template,headers.from\r\n"
                        + "mails,mail-1842,2025-03-02T08:00:00Z,welcome,\r\n"
                        + "mails,mail-1907,2025-03-09T08:00:00Z,\"invoice, March\",billing@example.com\r\n");
        assertThat(files.get("consent-service.csv")).isEqualTo(
                "purpose,decision\r\nmarketing-email,granted\r\n'=cmd(),denied\r\n");
        assertThat(JSON.readTree(files.get("manifest.json")).at("/manifest/systemsAnswered").size()).isEqualTo(2);

        export(id, "xml").statusCode(400);
        given().header("Authorization", TestTokens.bearer("globex", "operator"))
                .get("/v1/requests/" + id + "/export").then().statusCode(404);
    }

    @Test
    void shouldHaveNoExportForAnErasure() {
        String id = submitted("acme", verifiedBody("erasure", subject()));
        export(id, null).statusCode(404).body("error.code", equalTo("not_found"));
    }

    private static io.restassured.response.ValidatableResponse export(String id, String format) {
        var request = given().header("Authorization", TestTokens.bearer("acme", "app"));
        if (format != null) {
            request = request.queryParam("format", format);
        }
        return request.get("/v1/requests/" + id + "/export").then();
    }

    @Test
    void shouldCompleteOnlyWhenEveryPartHasArrivedInAnyOrderAndRejectAcksOfSystemsNotAsked() throws Exception {
        clock().set(at("2025-05-01T10:00:00Z"));
        String subject = subject();
        String id = submitted("acme", verifiedBody("access", subject));
        String key = pseudonym.of("acme", subject);
        Map<String, String> commands = Map.of("mail-log-store", UUID.randomUUID().toString(), "consent-service",
                UUID.randomUUID().toString(), "erase-only", UUID.randomUUID().toString());
        SystemProgress eraseOnly = new SystemProgress("erase-only", commands.get("erase-only"), "ERASE", "sent", null,
                0, null, null, 1, at("2025-05-01T10:00:01Z"));
        publish(Topics.REQUEST_PROGRESS, progress("acme", key, id, "in_progress", at("2025-05-01T10:00:01Z"),
                sent("mail-log-store", commands), sent("consent-service", commands), eraseOnly));
        await().atMost(WAIT).untilAsserted(() -> get("acme", id).body("status", equalTo("in_progress")));

        String mailCommand = commands.get("mail-log-store");
        EventEnvelope part1 = part(key, id, "mail-log-store", mailCommand, 1, 3, "[{\"id\":\"m1\"},{\"id\":\"m2\"}]");
        EventEnvelope part2 = part(key, id, "mail-log-store", mailCommand, 2, 3, "[{\"id\":\"m3\"}]");
        EventEnvelope part3 = part(key, id, "mail-log-store", mailCommand, 3, 3, "[{\"id\":\"m4\"},{\"id\":\"m5\"}]");
        JsonNode consents = JSON.readTree("[{\"purpose\":\"news\",\"decision\":\"granted\"}]");
        EventEnvelope unasked = ack("acme", key, id, "rogue-crm", UUID.randomUUID().toString(), 1,
                JSON.readTree("[{\"planted\":true}]"));
        EventEnvelope wrongCommand = part(key, id, "mail-log-store", UUID.randomUUID().toString(), 2, 3,
                "[{\"id\":\"forged\"}]");
        EventEnvelope notAnExport = ack("acme", key, id, "erase-only", commands.get("erase-only"), 1,
                JSON.readTree("[{\"id\":\"e1\"}]"));
        // Out of order, with acks from a system that was not asked, for another command, for another kind.
        publish(Topics.COMMAND_ACK, part3, unasked, part1, wrongCommand, notAnExport,
                ack("acme", key, id, "consent-service", commands.get("consent-service"), 1, consents), part3);
        await().atMost(WAIT).until(() -> TestDatabase.count("SELECT count(*) FROM export_part WHERE request_id = ?",
                UUID.fromString(id)) == 3);
        for (EventEnvelope rejected : List.of(unasked, wrongCommand, notAnExport)) {
            await().atMost(WAIT).until(() -> TestDatabase.count("SELECT count(*) FROM inbox_event WHERE event_id = ?",
                    rejected.id()) == 1);
        }
        assertThat(TestDatabase.count("SELECT count(*) FROM export_part WHERE request_id = ? AND (system IN "
                + "('rogue-crm', 'erase-only') OR data LIKE '%forged%')", UUID.fromString(id))).isZero();

        // retention-service counted the stores done before the last part reached us: the request waits for it.
        publish(Topics.REQUEST_PROGRESS, progress("acme", key, id, "completed", at("2025-05-02T10:00:00Z"),
                done("mail-log-store", commands, 5), done("consent-service", commands, 1), eraseOnly));
        await().atMost(WAIT).until(() -> TestDatabase.count("SELECT count(*) FROM rights_request WHERE id = ? AND "
                + "progress_state = 'completed'", UUID.fromString(id)) == 1);
        get("acme", id).body("status", equalTo("in_progress"));
        export(id, null).statusCode(404);

        // The last part completes it, once, even when it arrives twice.
        publish(Topics.COMMAND_ACK, part2, part2);
        await().atMost(WAIT).untilAsserted(() -> get("acme", id).body("status", equalTo("completed")));
        JsonNode document = JSON.readTree(export(id, null).statusCode(200).extract().asString());
        assertThat(document.at("/systems/mail-log-store").toString())
                .isEqualTo("[{\"id\":\"m1\"},{\"id\":\"m2\"},{\"id\":\"m3\"},{\"id\":\"m4\"},{\"id\":\"m5\"}]");
        assertThat(document.at("/systems/consent-service")).isEqualTo(consents);
        assertThat(document.at("/manifest/systemsAnswered").toString())
                .isEqualTo("[\"consent-service\",\"mail-log-store\"]");
        assertThat(document.at("/manifest/records/mail-log-store").asLong()).isEqualTo(5);
        assertThat(document.at("/systems").has("rogue-crm")).isFalse();
        assertThat(TestDatabase.count("SELECT count(*) FROM export_part WHERE request_id = ? AND system = "
                + "'mail-log-store'", UUID.fromString(id))).isEqualTo(3);
        assertThat(TestDatabase.count("SELECT count(*) FROM request_audit WHERE request_id = ? AND action = "
                + "'completed'", UUID.fromString(id))).isEqualTo(1);
        assertThat(changes(id, 3)).extracting(RightsRequestChanged::status).containsExactly("verified",
                "in_progress", "completed");
    }

    @Test
    void shouldPassOverAcksThatCarryNoExportWithoutATransaction() {
        String key = pseudonym.of("acme", subject());
        String requestId = UUID.randomUUID().toString();
        // An ERASE answer (no data) and then, on the same key and so the same partition, an EXPORT answer.
        EventEnvelope erased = ack("acme", key, requestId, "mail-log-store", UUID.randomUUID().toString(), 0, null);
        EventEnvelope exported = ack("acme", key, requestId, "mail-log-store", UUID.randomUUID().toString(), 1,
                JSON.createArrayNode());
        publish(Topics.COMMAND_ACK, erased, exported);

        // Once the later one is processed, the earlier one was read: it left no inbox row (no transaction).
        await().atMost(WAIT).until(() -> TestDatabase.count("SELECT count(*) FROM inbox_event WHERE event_id = ?",
                exported.id()) == 1);
        assertThat(TestDatabase.count("SELECT count(*) FROM inbox_event WHERE event_id = ?", erased.id())).isZero();
    }

    @Test
    void shouldKeepAnAckThatArrivesAheadOfTheFirstProgressReport() {
        clock().set(at("2025-05-01T10:00:00Z"));
        String subject = subject();
        String id = submitted("acme", verifiedBody("access", subject));
        String key = pseudonym.of("acme", subject);
        Map<String, String> commands = Map.of("mail-log-store", UUID.randomUUID().toString());
        // Both consumers are running before the race is set up (an unknown request's events, awaited).
        EventEnvelope warmProgress = progress("acme", key, UUID.randomUUID().toString(), "in_progress",
                at("2025-05-01T10:00:00Z"), sent("mail-log-store", commands));
        EventEnvelope warmAck = ack("acme", key, UUID.randomUUID().toString(), "mail-log-store",
                commands.get("mail-log-store"), 1, JSON.createArrayNode());
        publish(Topics.REQUEST_PROGRESS, warmProgress);
        publish(Topics.COMMAND_ACK, warmAck);
        await().atMost(WAIT).until(() -> TestDatabase.count("SELECT count(*) FROM inbox_event WHERE event_id IN "
                + "(?, ?)", warmProgress.id(), warmAck.id()) == 2);

        publish(Topics.COMMAND_ACK, ack("acme", key, id, "mail-log-store", commands.get("mail-log-store"), 1,
                JSON.createArrayNode().add(JSON.createObjectNode().put("id", "m1"))));
        publish(Topics.REQUEST_PROGRESS, progress("acme", key, id, "in_progress", at("2025-05-01T10:00:01Z"),
                sent("mail-log-store", commands)));
        await().atMost(WAIT).until(() -> TestDatabase.count("SELECT count(*) FROM export_part WHERE request_id = ?",
                UUID.fromString(id)) == 1);
    }

    private static EventEnvelope ack(String tenant, String key, String requestId, String system, String commandId,
            long records, JsonNode data) {
        return CODEC.envelope("/stores/" + system, tenant, key, new CommandAck(commandId, system,
                tenant, requestId, data == null ? AckOutcome.NOT_FOUND : AckOutcome.DONE, records, null, null, data,
                Instant.parse("2025-05-01T11:00:00Z")));
    }

    private static EventEnvelope part(String key, String requestId, String system, String commandId, int part,
            int parts, String data) throws Exception {
        return CODEC.envelope("/stores/" + system, "acme", key, new CommandAck(commandId, system, "acme", requestId,
                AckOutcome.DONE, 5, null, null, JSON.readTree(data), Instant.parse("2025-05-01T11:00:00Z"), List.of(),
                part, parts));
    }

    private static SystemProgress sent(String system, Map<String, String> commands) {
        return new SystemProgress(system, commands.get(system), "EXPORT", "sent", null, 0, null, null, 1,
                Instant.parse("2025-05-01T10:00:01Z"));
    }

    private static SystemProgress done(String system, Map<String, String> commands, long records) {
        return new SystemProgress(system, commands.get(system), "EXPORT", "done", AckOutcome.DONE, records, null,
                null, 1, Instant.parse("2025-05-02T10:00:00Z"));
    }

    private static SystemProgress notFound(String system, Map<String, String> commands) {
        return new SystemProgress(system, commands.get(system), "EXPORT", "done", AckOutcome.NOT_FOUND, 0, null,
                null, 1, Instant.parse("2025-05-02T10:00:00Z"));
    }

    private static Map<String, String> unzip(byte[] zip) throws Exception {
        Map<String, String> files = new LinkedHashMap<>();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
                files.put(entry.getName(), new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
        }
        return files;
    }
}
