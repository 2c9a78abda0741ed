package io.privacyplatform.request.rest;

import static io.privacyplatform.request.RequestFixtures.CODEC;
import static io.privacyplatform.request.RequestFixtures.WAIT;
import static io.privacyplatform.request.RequestFixtures.at;
import static io.privacyplatform.request.RequestFixtures.clock;
import static io.privacyplatform.request.RequestFixtures.get;
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
import io.privacyplatform.events.payload.RequestProgress;
import io.privacyplatform.events.payload.RequestProgress.SystemProgress;
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
        publish(Topics.COMMAND_ACK,
                ack("acme", key, id, "mail-log-store", 2, mails),
                ack("acme", key, id, "consent-service", 2, consents),
                ack("acme", key, id, "crm", 0, null));
        await().atMost(WAIT).until(() -> TestDatabase.count("SELECT count(*) FROM export_part WHERE request_id = ?",
                UUID.fromString(id)) == 2);
        export(id, null).statusCode(404);

        publish(Topics.REQUEST_PROGRESS, CODEC.envelope("/services/retention-service", "acme", key,
                new RequestProgress(id, "acme", "completed", List.of(done("mail-log-store"), done("consent-service"),
                        done("crm")), at("2025-05-02T10:00:00Z"))));
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

    private static EventEnvelope ack(String tenant, String key, String requestId, String system, long records,
            JsonNode data) {
        return CODEC.envelope("/stores/" + system, tenant, key, new CommandAck(UUID.randomUUID().toString(), system,
                tenant, requestId, data == null ? AckOutcome.NOT_FOUND : AckOutcome.DONE, records, null, null, data,
                Instant.parse("2025-05-01T11:00:00Z")));
    }

    private static SystemProgress done(String system) {
        return new SystemProgress(system, UUID.randomUUID().toString(), "EXPORT", "done", AckOutcome.DONE, 1, null,
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
