package io.privacyplatform.request.rest;

import static io.privacyplatform.request.BreachFixtures.breach;
import static io.privacyplatform.request.BreachFixtures.get;
import static io.privacyplatform.request.BreachFixtures.notifications;
import static io.privacyplatform.request.BreachFixtures.patch;
import static io.privacyplatform.request.BreachFixtures.record;
import static io.privacyplatform.request.BreachFixtures.recorded;
import static io.privacyplatform.request.BreachFixtures.rows;
import static io.privacyplatform.request.BreachFixtures.tenant;
import static io.privacyplatform.request.RequestFixtures.WAIT;
import static io.privacyplatform.request.RequestFixtures.at;
import static io.privacyplatform.request.RequestFixtures.clock;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.nullValue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import io.privacyplatform.events.EventEnvelope;
import io.privacyplatform.events.SubjectPseudonym;
import io.privacyplatform.events.Topics;
import io.privacyplatform.events.payload.Notification;
import io.privacyplatform.request.RequestFixtures;
import io.privacyplatform.request.service.AuditAnchors;
import io.privacyplatform.request.service.BreachRegister;
import io.privacyplatform.testing.PlatformTestResource;
import io.privacyplatform.testing.TestDatabase;
import io.privacyplatform.testing.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

/**
 * The breach register over HTTP: what is stored in PostgreSQL, what goes out on Kafka, what the API answers, and
 * that bad input is refused in the error shape with nothing stored.
 */
@QuarkusTest
class BreachResourceTests {

    @Inject
    SubjectPseudonym pseudonym;

    @Inject
    AuditAnchors anchors;

    @Test
    void shouldRecordABreachWithItsSeventyTwoHourDeadline() {
        String tenant = tenant();
        clock().set(at("2025-06-02T12:00:00Z"));
        String id = record(tenant, breach("2025-06-02T08:30:00Z")).statusCode(201)
                .body("status", equalTo("open"))
                .body("detectedAt", equalTo("2025-06-02T08:30:00Z"))
                .body("categories", equalTo(List.of("email_headers", "contact_details")))
                .body("approximateSubjects", equalTo(1200))
                .body("authority.dueAt", equalTo("2025-06-05T08:30:00Z"))
                .body("authority.clockRunning", equalTo(true))
                .body("authority.hoursLeft", equalTo(68))
                .body("authority.overdue", equalTo(false))
                .body("recordedBy", equalTo(tenant + "-operator"))
                .extract().path("breachId");

        Map<String, Object> row = TestDatabase.rows("SELECT status, approximate_subjects, array_to_string(categories, "
                + "'|') AS categories, array_to_string(systems, '|') AS systems, authority_due_at, "
                + "notified_authority_at FROM breach WHERE id = ?", UUID.fromString(id)).get(0);
        assertThat(row).containsEntry("status", "open").containsEntry("approximate_subjects", 1200L)
                .containsEntry("categories", "email_headers|contact_details")
                .containsEntry("systems", "mail-log-store").containsEntry("notified_authority_at", null);
        assertThat(row.get("authority_due_at").toString()).startsWith("2025-06-05");
        assertThat(TestDatabase.rows("SELECT seq, action FROM request_audit WHERE request_id = ? ORDER BY seq",
                UUID.fromString(id))).extracting(r -> r.get("action")).containsExactly("recorded");

        clock().set(at("2025-06-05T09:00:00Z"));
        get(tenant, "/v1/breaches/" + id).statusCode(200).body("authority.hoursLeft", equalTo(-1))
                .body("authority.overdue", equalTo(true));
    }

    @Test
    void shouldRejectABreachWithoutDetectionTime() {
        String tenant = tenant();
        clock().set(at("2025-06-02T12:00:00Z"));
        Map<String, Object> body = breach("2025-06-02T08:30:00Z");
        body.remove("detectedAt");

        record(tenant, body).statusCode(400).body("error.code", equalTo("validation_failed"))
                .body("error.details.field", hasItem("detectedAt"));

        assertThat(rows(tenant)).isZero();
    }

    @Test
    void shouldRejectEveryInvalidFieldInTheErrorShapeAndStoreNothing() {
        String tenant = tenant();
        clock().set(at("2025-06-02T12:00:00Z"));
        Map<String, Object[]> cases = Map.of(
                "detectedAt", new Object[] { "2025-06-03T00:00:00Z", "1970-01-01", 0, "1969-12-31T23:59:59Z" },
                "categories", new Object[] { List.of(), List.of(" "), List.of("email", "email"), "email" },
                "approximateSubjects", new Object[] { -1, 1.5, "12", 10_000_000_001L },
                "systems", new Object[] { List.of("crm", " crm"), List.of() },
                "description", new Object[] { " ", "x".repeat(4001), 5 },
                "likelyConsequences", new Object[] { "" },
                "measures", new Object[] { "\u0000" });
        cases.forEach((field, values) -> {
            for (Object value : values) {
                Map<String, Object> body = breach("2025-06-02T08:30:00Z");
                body.put(field, value);
                record(tenant, body).statusCode(400).body("error.code", equalTo("validation_failed"))
                        .body("error.details[0].field", containsString(field));
            }
        });
        Map<String, Object> unknown = breach("2025-06-02T08:30:00Z");
        unknown.put("severity", "high");
        record(tenant, unknown).statusCode(400).body("error.details[0].field", equalTo("severity"));
        given().header("Authorization", TestTokens.bearer(tenant, "operator")).contentType(ContentType.JSON)
                .body("{\"description\":").post("/v1/breaches").then().statusCode(400)
                .body("error.code", equalTo("malformed_json"));
        // Apps do not keep the register; operators and admins do.
        given().header("Authorization", TestTokens.bearer(tenant, "app")).contentType(ContentType.JSON)
                .body(breach("2025-06-02T08:30:00Z")).post("/v1/breaches").then().statusCode(403)
                .body("error.code", equalTo("forbidden"));

        assertThat(rows(tenant)).isZero();
        given().header("Authorization", TestTokens.bearer(tenant, "admin")).contentType(ContentType.JSON)
                .body(breach("2025-06-02T08:30:00Z")).post("/v1/breaches").then().statusCode(201);
        assertThat(rows(tenant)).isOne();
    }

    @Test
    void shouldAnswerARepeatedPostWithTheSameKeyOnce() {
        String tenant = tenant();
        clock().set(at("2025-06-02T12:00:00Z"));
        String key = UUID.randomUUID().toString();
        Map<String, Object> body = breach("2025-06-02T08:30:00Z");
        String first = given().header("Authorization", TestTokens.bearer(tenant, "operator"))
                .header("Idempotency-Key", key).contentType(ContentType.JSON).body(body).post("/v1/breaches").then()
                .statusCode(201).extract().path("breachId");
        given().header("Authorization", TestTokens.bearer(tenant, "operator")).header("Idempotency-Key", key)
                .contentType(ContentType.JSON).body(body).post("/v1/breaches").then().statusCode(201)
                .header("Idempotent-Replayed", "true").body("breachId", equalTo(first));
        body.put("approximateSubjects", 5);
        given().header("Authorization", TestTokens.bearer(tenant, "operator")).header("Idempotency-Key", key)
                .contentType(ContentType.JSON).body(body).post("/v1/breaches").then().statusCode(409)
                .body("error.code", equalTo("idempotency_key_reused"));

        assertThat(rows(tenant)).isOne();
    }

    @Test
    void shouldStopTheClockWhenTheAuthorityIsNotified() {
        String tenant = tenant();
        clock().set(at("2025-06-02T12:00:00Z"));
        String id = recorded(tenant, "2025-06-02T08:30:00Z");
        String path = "/v1/breaches/" + id + "/authority-notification";

        clock().set(at("2025-06-06T12:00:00Z"));
        // Before detection, in the future, or late without the reasons of the delay: refused, nothing recorded.
        notify(tenant, path, Map.of("notifiedAt", "2025-06-01T00:00:00Z")).statusCode(400)
                .body("error.details[0].field", equalTo("notifiedAt"));
        notify(tenant, path, Map.of("notifiedAt", "2025-06-07T00:00:00Z")).statusCode(400)
                .body("error.details[0].field", equalTo("notifiedAt"));
        notify(tenant, path, Map.of("notifiedAt", "2025-06-06T10:00:00Z")).statusCode(400)
                .body("error.details[0].field", equalTo("delayReason"));
        notify(tenant, path, Map.of()).statusCode(400).body("error.details[0].field", equalTo("notifiedAt"));
        assertThat(TestDatabase.count("SELECT count(*) FROM breach WHERE id = ? AND notified_authority_at IS NULL",
                UUID.fromString(id))).isOne();

        notify(tenant, path, Map.of("notifiedAt", "2025-06-06T10:00:00Z", "reference", "CNIL-2025-0612",
                "delayReason", "the bucket's access logs took four days to obtain")).statusCode(200)
                .body("authority.clockRunning", equalTo(false))
                .body("authority.hoursLeft", nullValue())
                .body("authority.overdue", equalTo(false))
                .body("authority.notifiedAt", equalTo("2025-06-06T10:00:00Z"))
                .body("authority.notifiedLate", equalTo(true))
                .body("authority.reference", equalTo("CNIL-2025-0612"));
        notify(tenant, path, Map.of("notifiedAt", "2025-06-06T11:00:00Z", "delayReason", "again")).statusCode(409)
                .body("error.code", equalTo("already_notified"));

        assertThat(TestDatabase.rows("SELECT authority_reference, delay_reason FROM breach WHERE id = ?",
                UUID.fromString(id)).get(0)).containsEntry("authority_reference", "CNIL-2025-0612");
        assertThat(TestDatabase.rows("SELECT detail FROM request_audit WHERE request_id = ? AND action = "
                + "'authority_notified'", UUID.fromString(id)).get(0).get("detail").toString())
                .contains("\"late\":true").contains("CNIL-2025-0612");
        // The register's list finds it among the notified ones only.
        get(tenant, "/v1/breaches?authorityNotified=true").statusCode(200).body("items.breachId", equalTo(List.of(id)));
        get(tenant, "/v1/breaches?authorityNotified=false").statusCode(200).body("items.size()", equalTo(0));
    }

    @Test
    void shouldNotifyAffectedSubjectsThroughTheNotificationTopic() {
        String tenant = tenant();
        clock().set(at("2025-06-02T12:00:00Z"));
        String id = recorded(tenant, "2025-06-02T08:30:00Z");
        String path = "/v1/breaches/" + id + "/subject-notifications";
        Map<String, Object> notice = Map.of("recipients", List.of(Map.of("subjectId", "cust-1", "email",
                "ann@example.com"), Map.of("subjectId", "cust-2")), "summary",
                "Your e-mail address and the subjects of mails sent to you were readable by others for two days.",
                "contact", "dpo@example.com");

        // Invalid recipients are refused before anything goes out.
        notifySubjects(tenant, path, Map.of("recipients", List.of(Map.of("subjectId", "cust-1"), Map.of("subjectId",
                "cust-1")), "summary", "s", "contact", "c"), null).statusCode(400)
                .body("error.details[0].field", equalTo("recipients[1].subjectId"));
        notifySubjects(tenant, path, Map.of("recipients", List.of(Map.of("subjectId", "cust-1", "email", "nope")),
                "summary", "s", "contact", "c"), null).statusCode(400)
                .body("error.details[0].field", equalTo("recipients[0].email"));
        notifySubjects(tenant, path, Map.of("recipients", List.of(), "summary", "s", "contact", "c"), null)
                .statusCode(400).body("error.details[0].field", equalTo("recipients"));

        String key = UUID.randomUUID().toString();
        notifySubjects(tenant, path, notice, key).statusCode(202).body("notified", equalTo(2))
                .body("subjectsNotified", equalTo(2));
        // A retry with the same key sends nothing more.
        notifySubjects(tenant, path, notice, key).statusCode(202).header("Idempotent-Replayed", "true");

        List<Notification> sent = await().atMost(WAIT).until(() -> notifications(id, BreachRegister.BREACH_NOTICE),
                list -> list.size() >= 2);
        assertThat(sent).hasSize(2).extracting(Notification::subjectId).containsExactlyInAnyOrder("cust-1", "cust-2");
        Notification toAnn = sent.stream().filter(n -> "cust-1".equals(n.subjectId())).findFirst().orElseThrow();
        assertThat(toAnn.recipient()).isEqualTo("ann@example.com");
        assertThat(toAnn.tenantId()).isEqualTo(tenant);
        assertThat(toAnn.params()).containsEntry("breachId", id).containsEntry("contact", "dpo@example.com")
                .containsEntry("likelyConsequences", "Phishing aimed at the recipients")
                .containsEntry("measures", "Bucket closed, access logs reviewed, keys rotated")
                .containsEntry("detectedAt", "2025-06-02T08:30:00Z");
        assertThat(sent.stream().filter(n -> "cust-2".equals(n.subjectId())).findFirst().orElseThrow().recipient())
                .as("without an address the mailer looks it up").isNull();
        // Keyed by the subject's pseudonym, as every notice about one subject.
        List<ConsumerRecord<String, byte[]>> records = PlatformTestResource.kafka().readAll(Topics.NOTIFICATION)
                .stream().filter(r -> id.equals(RequestFixtures.CODEC.decode(EventEnvelope.fromRecord(r),
                        Notification.class).params().get("breachId"))).toList();
        assertThat(records).extracting(ConsumerRecord::key).containsExactlyInAnyOrder(
                pseudonym.of(tenant, "cust-1"), pseudonym.of(tenant, "cust-2"));

        assertThat(TestDatabase.count("SELECT subjects_notified FROM breach WHERE id = ?", UUID.fromString(id)))
                .isEqualTo(2);
        String audit = TestDatabase.rows("SELECT detail FROM request_audit WHERE request_id = ? AND action = "
                + "'subjects_notified'", UUID.fromString(id)).get(0).get("detail").toString();
        assertThat(audit).contains("\"notified\":2").doesNotContain("ann@example.com").doesNotContain("cust-1");
    }

    @Test
    void shouldChainEveryChangeAndCloseOnlyWithAReasonWhenTheAuthorityWasNotNotified() throws Exception {
        String tenant = tenant();
        clock().set(at("2025-06-02T12:00:00Z"));
        String id = recorded(tenant, "2025-06-02T08:30:00Z");

        clock().set(at("2025-06-02T15:00:00Z"));
        patch(tenant, id, Map.of("approximateSubjects", 340, "detectedAt", "2025-06-02T07:00:00Z")).statusCode(200)
                .body("approximateSubjects", equalTo(340)).body("authority.dueAt", equalTo("2025-06-05T07:00:00Z"));
        patch(tenant, id, Map.of()).statusCode(400).body("error.details[0].field", equalTo("$"));
        patch(tenant, id, Map.of("status", "dismissed")).statusCode(400)
                .body("error.details[0].field", equalTo("status"));
        patch(tenant, id, Map.of("reason", "no status")).statusCode(400)
                .body("error.details[0].field", equalTo("reason"));
        patch(tenant, id, Map.of("status", "contained")).statusCode(200).body("status", equalTo("contained"));
        patch(tenant, id, Map.of("status", "open")).statusCode(409).body("error.code", equalTo("invalid_transition"));
        patch(tenant, id, Map.of("status", "closed")).statusCode(400).body("error.details[0].field", equalTo("reason"));
        patch(tenant, id, Map.of("status", "closed", "reason", "encrypted at rest with a key that did not leak: "
                + "unlikely to result in a risk")).statusCode(200).body("status", equalTo("closed"))
                .body("authority.clockRunning", equalTo(false));
        patch(tenant, id, Map.of("measures", "more")).statusCode(409).body("error.code", equalTo("breach_closed"));

        JsonPath audit = get(tenant, "/v1/breaches/" + id + "/audit").statusCode(200).extract().jsonPath();
        assertThat(audit.getList("entries.action")).containsExactly("recorded", "updated", "contained", "closed");
        assertThat(audit.getString("entries[0].prevHash")).isEqualTo("0".repeat(64));
        assertThat(audit.getString("entries[1].prevHash")).isEqualTo(audit.getString("entries[0].hash"));
        assertThat(audit.getString("entries[1].detail")).contains("\"approximateSubjects\":340");
        get(tenant, "/v1/breaches/" + id + "/audit/verification").statusCode(200).body("valid", equalTo(true))
                .body("entries", equalTo(4));

        // Anchored with the requests' chains, outside the database.
        anchors.anchorPending();
        assertThat(TestDatabase.count("SELECT seq FROM audit_anchored_seq WHERE request_id = ?", UUID.fromString(id)))
                .isEqualTo(4);

        // Tampered with by someone who can switch the append-only trigger off: the chain tells, and so do the anchors.
        try (Connection connection = TestDatabase.connect()) {
            try (Statement statement = connection.createStatement()) {
                statement.execute("SET session_replication_role = replica");
            }
            try (PreparedStatement update = connection.prepareStatement(
                    "UPDATE request_audit SET detail = '{}' WHERE request_id = ? AND seq = 2")) {
                update.setObject(1, UUID.fromString(id));
                assertThat(update.executeUpdate()).isOne();
            }
        }
        get(tenant, "/v1/breaches/" + id + "/audit/verification").statusCode(200).body("valid", equalTo(false))
                .body("brokenAt", equalTo(2));
        List<Map<String, Object>> mismatches = given().header("Authorization", TestTokens.bearer("platform", "admin"))
                .get("/v1/audit/verify").then().statusCode(200).extract().jsonPath()
                .<Map<String, Object>>getList("mismatches").stream().filter(m -> id.equals(m.get("requestId")))
                .toList();
        assertThat(mismatches).singleElement().satisfies(m -> assertThat(m).containsEntry("seq", 2)
                .containsEntry("problem", "rewritten"));
    }

    @Test
    void shouldPageTheRegisterAndKeepOtherTenantsOut() {
        String tenant = tenant();
        clock().set(at("2025-06-10T12:00:00Z"));
        String oldest = recorded(tenant, "2025-06-01T08:00:00Z");
        String middle = recorded(tenant, "2025-06-05T08:00:00Z");
        String newest = recorded(tenant, "2025-06-09T08:00:00Z");
        patch(tenant, middle, Map.of("status", "contained")).statusCode(200);

        JsonPath first = get(tenant, "/v1/breaches?limit=2").statusCode(200).extract().jsonPath();
        assertThat(first.getList("items.breachId")).containsExactly(newest, middle);
        get(tenant, "/v1/breaches?limit=2&cursor=" + first.getString("nextCursor")).statusCode(200)
                .body("items.breachId", equalTo(List.of(oldest))).body("nextCursor", nullValue());
        get(tenant, "/v1/breaches?status=contained").statusCode(200).body("items.breachId", equalTo(List.of(middle)));
        get(tenant, "/v1/breaches?limit=0").statusCode(400).body("error.details[0].field", equalTo("limit"));
        get(tenant, "/v1/breaches?status=lost").statusCode(400).body("error.details[0].field", equalTo("status"));
        get(tenant, "/v1/breaches?cursor=nonsense").statusCode(400).body("error.details[0].field", equalTo("cursor"));

        String other = tenant();
        get(other, "/v1/breaches/" + newest).statusCode(404).body("error.code", equalTo("not_found"));
        patch(other, newest, Map.of("measures", "none")).statusCode(404);
        get(other, "/v1/breaches").statusCode(200).body("items.size()", equalTo(0));
    }

    @Test
    void shouldExportTheRegisterAsJsonAndAsAPrintablePage() {
        String tenant = tenant();
        clock().set(at("2025-06-10T12:00:00Z"));
        String first = recorded(tenant, "2025-06-01T08:00:00Z");
        String second = recorded(tenant, "2025-06-09T08:00:00Z");
        notify(tenant, "/v1/breaches/" + first + "/authority-notification", Map.of("notifiedAt",
                "2025-06-03T08:00:00Z")).statusCode(200);

        JsonPath json = get(tenant, "/v1/breaches/export").statusCode(200).contentType(ContentType.JSON)
                .extract().jsonPath();
        assertThat(json.getString("tenantId")).isEqualTo(tenant);
        assertThat(json.getInt("count")).isEqualTo(2);
        assertThat(json.getList("breaches.breach.breachId")).containsExactly(first, second);
        assertThat(json.getBoolean("breaches[0].breach.authority.notifiedLate")).isFalse();
        assertThat(json.getInt("breaches[1].breach.authority.hoursLeft")).isEqualTo(44);
        assertThat(json.getList("breaches.auditChain.valid")).containsExactly(true, true);
        assertThat(json.getList("breaches.auditChain.entries")).containsExactly(2, 1);

        String html = get(tenant, "/v1/breaches/export?format=html").statusCode(200)
                .contentType(containsString("text/html")).extract().asString();
        assertThat(html).contains("Register of personal-data breaches").contains("@page")
                .contains("data-breach-id=\"" + first + "\"").contains("data-breach-id=\"" + second + "\"")
                .contains("<span id=\"breach-count\">2</span>")
                .contains("2025-06-03T08:00:00Z").contains("44 hour(s) left")
                .contains("email_headers, contact_details");
        // Stored text is escaped, never markup.
        String hostile = recorded(tenant, "2025-06-10T08:00:00Z");
        patch(tenant, hostile, Map.of("description", "<script>alert(1)</script>")).statusCode(200);
        assertThat(get(tenant, "/v1/breaches/export?format=html").statusCode(200).extract().asString())
                .doesNotContain("<script>alert(1)</script>").contains("&lt;script&gt;");
        get(tenant, "/v1/breaches/export?format=pdf").statusCode(400).body("error.details[0].field",
                equalTo("format"));
    }

    private static io.restassured.response.ValidatableResponse notify(String tenant, String path, Object body) {
        return given().header("Authorization", TestTokens.bearer(tenant, "operator")).contentType(ContentType.JSON)
                .body(body).post(path).then();
    }

    private static io.restassured.response.ValidatableResponse notifySubjects(String tenant, String path,
            Object body, String key) {
        var request = given().header("Authorization", TestTokens.bearer(tenant, "operator"))
                .contentType(ContentType.JSON).body(body);
        if (key != null) {
            request = request.header("Idempotency-Key", key);
        }
        return request.post(path).then();
    }
}
