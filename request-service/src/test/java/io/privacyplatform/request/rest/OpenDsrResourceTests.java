package io.privacyplatform.request.rest;

import static io.privacyplatform.request.OpenDsrFixtures.example;
import static io.privacyplatform.request.OpenDsrFixtures.exampleRequest;
import static io.privacyplatform.request.OpenDsrFixtures.fieldNames;
import static io.privacyplatform.request.OpenDsrFixtures.get;
import static io.privacyplatform.request.OpenDsrFixtures.post;
import static io.privacyplatform.request.OpenDsrFixtures.verifies;
import static io.privacyplatform.request.RequestFixtures.WAIT;
import static io.privacyplatform.request.RequestFixtures.at;
import static io.privacyplatform.request.RequestFixtures.clock;
import static io.privacyplatform.request.RequestFixtures.progress;
import static io.privacyplatform.request.RequestFixtures.publish;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.privacyplatform.events.SubjectPseudonym;
import io.privacyplatform.events.Topics;
import io.privacyplatform.events.payload.AckOutcome;
import io.privacyplatform.events.payload.RequestProgress.SystemProgress;
import io.privacyplatform.request.OpenDsrFixtures;
import io.privacyplatform.testing.TestDatabase;
import io.privacyplatform.testing.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * The OpenDSR 2.0 endpoint against the specification's own examples ({@code src/test/resources/opendsr}): discovery,
 * the example request mapped onto a rights request, status, the OpenGDPR route, cancellation and the error object.
 */
@QuarkusTest
class OpenDsrResourceTests {

    private static final String REQUESTS = "/opendsr/v1/requests";

    @Inject
    SubjectPseudonym pseudonym;

    @Test
    void shouldPublishTheDiscoveryDocumentWithTheCertificateThatSignsIt() {
        Response response = given().get("/opendsr/v1/discovery");
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode discovery = json(response);
        // The specification's example has these fields and no others.
        assertThat(fieldNames(discovery)).isEqualTo(fieldNames(example("discovery")));
        assertThat(discovery.path("api_version").asText()).isEqualTo("2.0");
        assertThat(discovery.path("supported_subject_request_types").toString())
                .isEqualTo("[\"access\",\"portability\",\"erasure\"]");
        assertThat(discovery.path("supported_identities").toString()).isEqualTo(
                "[{\"identity_type\":\"email\",\"identity_format\":\"raw\"},"
                        + "{\"identity_type\":\"controller_customer_id\",\"identity_format\":\"raw\"}]");
        assertThat(discovery.path("processor_certificate").asText()).endsWith("/opendsr/v1/certificate.pem");
        given().get(discovery.path("processor_certificate").asText()).then().statusCode(200)
                .contentType("application/x-pem-file");
        assertThat(verifies(response.asByteArray(), response.header("X-OpenDSR-Signature"))).isTrue();
        assertThat(response.header("X-OpenDSR-Processor-Domain")).isEqualTo("localhost");
    }

    @Test
    void shouldAcceptTheSpecificationsExampleRequest() {
        clock().set(at("2026-03-02T15:00:01Z"));
        ObjectNode request = example("request");
        Response response = post(REQUESTS, "acme", request);

        assertThat(response.statusCode()).isEqualTo(201);
        JsonNode receipt = json(response);
        assertThat(fieldNames(receipt)).isEqualTo(fieldNames(example("receipt")));
        assertThat(receipt.path("subject_request_id").asText()).isEqualTo("a7551968-d5d6-44b2-9831-815ac9017798");
        assertThat(receipt.path("controller_id").asText()).isEqualTo("acme");
        assertThat(receipt.path("received_time").asText()).isEqualTo("2026-03-02T15:00:01Z");
        // GDPR: 30 days, within the calendar month.
        assertThat(receipt.path("expected_completion_time").asText()).isEqualTo("2026-04-01T15:00:01Z");
        assertThat(Base64.getDecoder().decode(receipt.path("encoded_request").asText()))
                .isEqualTo(request.toString().getBytes(StandardCharsets.UTF_8));
        assertThat(verifies(response.asByteArray(), response.header("X-OpenDSR-Signature"))).isTrue();

        // Mapped onto the tenant's own erasure request, verified by the controller's tool (no code to the subject).
        List<Map<String, Object>> rows = TestDatabase.rows("SELECT r.* FROM rights_request r JOIN opendsr_request o "
                + "ON o.request_id = r.id WHERE o.tenant_id = 'acme' AND o.subject_request_id = ?",
                UUID.fromString("a7551968-d5d6-44b2-9831-815ac9017798"));
        assertThat(rows).hasSize(1);
        Map<String, Object> row = rows.get(0);
        assertThat(row).containsEntry("tenant_id", "acme").containsEntry("type", "erasure")
                .containsEntry("status", "verified").containsEntry("subject_id", "johndoe@example.com")
                .containsEntry("contact_email", "johndoe@example.com").containsEntry("regulation", "gdpr")
                .containsEntry("verification_hash", null);
        assertThat((String) row.get("verified_by")).startsWith("OpenDSR controller tool ");
        assertThat(TestDatabase.count("SELECT count(*) FROM request_audit WHERE request_id = ? AND action = "
                + "'verified'", row.get("id"))).isEqualTo(1);
        assertThat(TestDatabase.rows("SELECT dialect, submitted_time, status_callback_urls::text AS urls FROM "
                + "opendsr_request WHERE request_id = ?", row.get("id")).get(0))
                .containsEntry("dialect", "opendsr")
                .containsEntry("urls", "{https://examplecontroller.com/opendsr/callbacks}");

        // The same request again is the same request; the same id with another body is a conflict.
        Response again = post(REQUESTS, "acme", request);
        assertThat(again.statusCode()).isEqualTo(201);
        assertThat(json(again).path("received_time").asText()).isEqualTo("2026-03-02T15:00:01Z");
        assertThat(TestDatabase.count("SELECT count(*) FROM opendsr_request WHERE subject_request_id = ? "
                + "AND tenant_id = 'acme'", UUID.fromString("a7551968-d5d6-44b2-9831-815ac9017798"))).isEqualTo(1);
        request.put("subject_request_type", "access");
        Response conflict = post(REQUESTS, "acme", request);
        assertThat(conflict.statusCode()).isEqualTo(409);
        assertThat(json(conflict).path("error").path("code").asInt()).isEqualTo(409);
        assertThat(json(conflict).path("error").path("errors").get(0).path("reason").asText())
                .isEqualTo("subject_request_id_reused");
    }

    @Test
    void shouldAnswerTheStatusAndNeverCallAnIncompleteExportCompleted() {
        clock().set(at("2026-03-02T10:00:00Z"));
        ObjectNode request = exampleRequest("access");
        String id = request.path("subject_request_id").asText();
        assertThat(post(REQUESTS, "acme", request).statusCode()).isEqualTo(201);

        Response pending = get(REQUESTS + "/" + id, "acme");
        assertThat(pending.statusCode()).isEqualTo(200);
        JsonNode status = json(pending);
        assertThat(status.path("request_status").asText()).isEqualTo("pending");
        // The example's fields, but results (url, count) that an unanswered request has not got.
        assertThat(fieldNames(example("status"))).containsAll(fieldNames(status));
        assertThat(fieldNames(status)).containsExactlyInAnyOrder("controller_id", "expected_completion_time",
                "subject_request_id", "request_status", "api_version");
        assertThat(status.path("expected_completion_time").asText()).isEqualTo("2026-04-01T10:00:00Z");
        assertThat(pending.header("X-OpenDSR-Processor-Domain")).isEqualTo("localhost");
        assertThat(verifies(pending.asByteArray(), pending.header("X-OpenDSR-Signature"))).isTrue();

        // The stores report done, but the export's data has not arrived: the platform request is not completed,
        // so neither is the OpenDSR one.
        String requestId = platformRequestId(id);
        String key = pseudonym.of("acme", "johndoe@example.com");
        publish(Topics.REQUEST_PROGRESS, progress("acme", key, requestId, "completed", at("2026-03-03T10:00:00Z"),
                new SystemProgress("mail-log-store", UUID.randomUUID().toString(), "EXPORT", "done", AckOutcome.DONE,
                        3, null, null, 1, Instant.parse("2026-03-03T10:00:00Z"))));
        await().atMost(WAIT).until(() -> TestDatabase.count("SELECT count(*) FROM rights_request WHERE id = ? AND "
                + "progress_state = 'completed'", UUID.fromString(requestId)) == 1);
        assertThat(TestDatabase.rows("SELECT status FROM rights_request WHERE id = ?", UUID.fromString(requestId))
                .get(0)).containsEntry("status", "in_progress");
        assertThat(json(get(REQUESTS + "/" + id, "acme")).path("request_status").asText()).isEqualTo("in_progress");

        // Another tenant does not see it; an id that is none is refused.
        assertThat(get(REQUESTS + "/" + id, "globex").statusCode()).isEqualTo(404);
        assertThat(json(get(REQUESTS + "/not-a-uuid", "acme")).path("error").path("code").asInt()).isEqualTo(400);
    }

    @Test
    void shouldAcceptRequestsOnTheLegacyOpenGdprRoute() {
        ObjectNode request = exampleRequest("portability");
        String id = request.path("subject_request_id").asText();
        Response response = post("/opendsr/v1/opengdpr_requests", "acme", request);

        assertThat(response.statusCode()).isEqualTo(201);
        assertThat(response.header("X-OpenGDPR-Signature")).isEqualTo(response.header("X-OpenDSR-Signature"));
        assertThat(response.header("X-OpenGDPR-Processor-Domain")).isEqualTo("localhost");
        assertThat(verifies(response.asByteArray(), response.header("X-OpenGDPR-Signature"))).isTrue();
        assertThat(TestDatabase.rows("SELECT o.dialect, r.type FROM opendsr_request o JOIN rights_request r ON "
                + "r.id = o.request_id WHERE o.subject_request_id = ?", UUID.fromString(id)).get(0))
                .containsEntry("dialect", "opengdpr").containsEntry("type", "portability");
        Response status = get("/opendsr/v1/opengdpr_requests/" + id, "acme");
        assertThat(json(status).path("request_status").asText()).isEqualTo("pending");
        assertThat(status.header("X-OpenGDPR-Signature")).isNotBlank();
        // One request, whichever route asks.
        assertThat(json(get(REQUESTS + "/" + id, "acme")).path("subject_request_id").asText()).isEqualTo(id);
    }

    @Test
    void shouldRefuseAnInvalidRequestWithTheErrorObject() {
        ObjectNode request = example("request");
        request.remove("subject_request_id");
        long before = TestDatabase.count("SELECT count(*) FROM rights_request");
        Response response = post(REQUESTS, "acme", request);

        assertThat(response.statusCode()).isEqualTo(400);
        JsonNode error = json(response);
        // The specification's error object: the same fields, an integer code.
        assertThat(fieldNames(error)).isEqualTo(fieldNames(example("error")));
        assertThat(fieldNames(error.path("error"))).isEqualTo(fieldNames(example("error").path("error")));
        assertThat(fieldNames(error.path("error").path("errors").get(0)))
                .isEqualTo(fieldNames(example("error").path("error").path("errors").get(0)));
        assertThat(error.path("error").path("code").isInt()).isTrue();
        assertThat(error.path("error").path("code").asInt()).isEqualTo(400);
        assertThat(error.path("error").path("errors").get(0).path("domain").asText()).isEqualTo("Validation");
        assertThat(error.path("error").path("errors").get(0).path("message").asText())
                .isEqualTo("subject_request_id is required");
        assertThat(TestDatabase.count("SELECT count(*) FROM rights_request")).isEqualTo(before);

        // Every problem is named; a hashed identity the stores cannot search by is refused, not ignored.
        ObjectNode bad = exampleRequest("rectification", "ftp://examplecontroller.com/callbacks");
        bad.put("submitted_time", "yesterday");
        ((ObjectNode) bad.path("subject_identities").get(0)).put("identity_format", "sha256");
        JsonNode problems = json(post(REQUESTS, "acme", bad)).path("error").path("errors");
        assertThat(problems).extracting(p -> p.path("message").asText().split(" ")[0]).containsExactlyInAnyOrder(
                "subject_request_type", "submitted_time", "subject_identities[0]", "status_callback_urls[0]");

        // Not JSON, an unknown field, another media type, no token: the error object every time.
        Response malformed = given().header("Authorization", TestTokens.bearer("acme",
                "app")).contentType("application/json").body("{\"subject_request_id\":").post(REQUESTS);
        assertThat(malformed.statusCode()).isEqualTo(400);
        assertThat(json(malformed).path("error").path("errors").get(0).path("reason").asText())
                .isEqualTo("malformed_json");
        ObjectNode unknown = exampleRequest("erasure");
        unknown.put("subject_name", "John Doe");
        assertThat(json(post(REQUESTS, "acme", unknown)).path("error").path("errors").get(0).path("message")
                .asText()).isEqualTo("subject_name unknown field");
        Response text = given().header("Authorization", TestTokens.bearer("acme", "app"))
                .contentType("text/plain").body(exampleRequest("erasure").toString()).post(REQUESTS);
        assertThat(text.statusCode()).isEqualTo(415);
        assertThat(json(text).path("error").path("code").asInt()).isEqualTo(415);
        Response anonymous = given().contentType("application/json").body(exampleRequest("erasure").toString())
                .post(REQUESTS);
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(json(anonymous).path("error").path("code").asInt()).isEqualTo(401);
        Response admin = given().header("Authorization", TestTokens.bearer("acme", "admin"))
                .contentType("application/json").body(exampleRequest("erasure").toString()).post(REQUESTS);
        assertThat(admin.statusCode()).isEqualTo(403);
        assertThat(json(admin).path("error").path("errors").get(0).path("domain").asText())
                .isEqualTo("Authentication");
        assertThat(TestDatabase.count("SELECT count(*) FROM rights_request")).isEqualTo(before);
    }

    @Test
    void shouldCancelAPendingRequest() {
        ObjectNode request = exampleRequest("erasure");
        String id = request.path("subject_request_id").asText();
        assertThat(post(REQUESTS, "acme", request).statusCode()).isEqualTo(201);

        Response cancelled = given().header("Authorization", TestTokens.bearer("acme",
                "app")).delete(REQUESTS + "/" + id);
        assertThat(cancelled.statusCode()).isEqualTo(202);
        assertThat(fieldNames(json(cancelled))).isEqualTo(fieldNames(example("cancellation")));
        assertThat(verifies(cancelled.asByteArray(), cancelled.header("X-OpenDSR-Signature"))).isTrue();
        assertThat(json(get(REQUESTS + "/" + id, "acme")).path("request_status").asText()).isEqualTo("cancelled");
        assertThat(TestDatabase.rows("SELECT status FROM rights_request WHERE id = ?",
                UUID.fromString(platformRequestId(id))).get(0)).containsEntry("status", "cancelled");

        Response again = given().header("Authorization", TestTokens.bearer("acme",
                "app")).delete(REQUESTS + "/" + id);
        assertThat(again.statusCode()).isEqualTo(409);
        assertThat(json(again).path("error").path("errors").get(0).path("reason").asText())
                .isEqualTo("not_pending");
    }

    private static String platformRequestId(String subjectRequestId) {
        return TestDatabase.rows("SELECT request_id FROM opendsr_request WHERE subject_request_id = ?",
                UUID.fromString(subjectRequestId)).get(0).get("request_id").toString();
    }

    private static JsonNode json(Response response) {
        try {
            return OpenDsrFixtures.JSON.readTree(response.asByteArray());
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
