package io.privacyplatform.request.service;

import static io.privacyplatform.request.RequestFixtures.CODEC;
import static io.privacyplatform.request.RequestFixtures.WAIT;
import static io.privacyplatform.request.RequestFixtures.body;
import static io.privacyplatform.request.RequestFixtures.post;
import static io.privacyplatform.request.RequestFixtures.subject;
import static io.privacyplatform.request.RequestFixtures.submitted;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.privacyplatform.events.EventEnvelope;
import io.privacyplatform.events.Topics;
import io.privacyplatform.events.payload.AuditAnchor;
import io.privacyplatform.events.payload.AuditAnchor.AnchoredEntry;
import io.privacyplatform.events.Ed25519Keys;
import io.privacyplatform.testing.PlatformTestResource;
import io.privacyplatform.testing.TestDatabase;
import io.privacyplatform.testing.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

@QuarkusTest
class AuditAnchorTests {

    private static final String GENESIS = "0".repeat(64);

    @Inject
    AuditAnchors anchors;

    @Test
    void shouldPublishOnKafkaASignedAnchorOfEveryNewAuditEntry() throws Exception {
        String id = submitted("acme", body("erasure", subject()));
        List<AnchoredEntry> before = entriesInDatabase(id);

        anchors.anchorPending();

        AuditAnchor first = publishedAnchorOf(id);
        assertThat(first.entries()).filteredOn(e -> e.requestId().equals(id)).containsExactlyElementsOf(before);
        assertThat(signatureHolds(first)).isTrue();
        assertThat(first.entriesDigest()).isEqualTo(sha256(lines(first.entries())));

        // The next anchor takes only what came after, and names the digest of the one before it.
        post("acme", "operator", "/v1/requests/" + id + "/verification", Map.of("verifiedBy", "id-check"))
                .statusCode(200);
        anchors.anchorPending();
        AuditAnchor second = await().atMost(WAIT).until(() -> anchorsOnKafka().stream()
                .filter(a -> a.anchor() > first.anchor() && mentions(a, id)).findFirst(), Optional::isPresent).get();
        List<AnchoredEntry> after = entriesInDatabase(id);
        assertThat(second.entries()).filteredOn(e -> e.requestId().equals(id))
                .containsExactlyElementsOf(after.subList(before.size(), after.size()));
        AuditAnchor justBefore = anchorsOnKafka().stream().filter(a -> a.anchor() == second.anchor() - 1)
                .findFirst().orElseThrow();
        assertThat(second.previous()).isEqualTo(sha256(signedForm(justBefore)));
        assertThat(signatureHolds(second)).isTrue();

        // The public list shows the same signed anchors, without their entries.
        JsonPath listed = given().get("/v1/audit/anchors?limit=200").then().statusCode(200).extract().jsonPath();
        assertThat(listed.getList("anchors.anchor", Long.class)).contains(first.anchor(), second.anchor());
        assertThat(listed.getString("anchors.find { it.anchor == " + second.anchor() + " }.signature"))
                .isEqualTo(second.signature());
    }

    @Test
    void shouldReportAnAuditRowRewrittenAfterItWasAnchoredThoughTheChainWasRecomputed() throws Exception {
        String id = submitted("acme", body("erasure", subject()));
        post("acme", "operator", "/v1/requests/" + id + "/denial", Map.of("reason", "manifestly unfounded"))
                .statusCode(200);
        anchors.anchorPending();
        publishedAnchorOf(id);
        assertThat(mismatchesOf(verifyAsPlatform(), id)).isEmpty();

        // A superuser rewrites entry 2 and recomputes every later hash and the request's head: the chain alone
        // no longer shows anything...
        rewriteAndRechain(UUID.fromString(id), 2, "{\"verifiedBy\":\"nobody\"}");
        given().header("Authorization", TestTokens.bearer("acme", "operator"))
                .get("/v1/requests/" + id + "/audit/verification").then().statusCode(200)
                .body("valid", equalTo(true));

        // ...but the anchor read back from Kafka does, naming the rewritten entry.
        JsonPath report = verifyAsPlatform();
        assertThat(report.getBoolean("valid")).isFalse();
        assertThat(mismatchesOf(report, id)).singleElement().satisfies(m -> {
            assertThat(m).containsEntry("seq", 2).containsEntry("problem", "rewritten");
        });

        // An anchor forged without the key is not believed: reported, and its entries are not compared.
        AuditAnchor forged = AuditAnchor.of(999_999, Instant(), "test-audit-2025", GENESIS,
                entriesInDatabase(id), data -> Ed25519Keys.sign(Ed25519Keys.generate().getPrivate(), data));
        PlatformTestResource.kafka().send(CODEC.envelope("/services/request-service", "platform", "platform",
                forged).toRecord(Topics.AUDIT_ANCHOR));
        JsonPath withForgery = verifyAsPlatform();
        assertThat(withForgery.getList("anchorProblems", Map.class))
                .contains(Map.of("anchor", 999_999, "problem", "bad_signature"));
        assertThat(mismatchesOf(withForgery, id)).singleElement()
                .satisfies(m -> assertThat(m).containsEntry("seq", 2));
    }

    @Test
    void shouldLetOnlyThePlatformVerifyAndPublishTheKeysToEveryone() {
        given().header("Authorization", TestTokens.bearer("acme", "admin")).get("/v1/audit/verify").then()
                .statusCode(403).body("error.code", equalTo("platform_only"));
        given().get("/v1/audit/verify").then().statusCode(401);
        given().get("/v1/audit/anchors?limit=0").then().statusCode(400).body("error.code",
                equalTo("validation_failed"));
        given().get("/v1/audit/anchors?before=0").then().statusCode(400);
        String published = given().get("/v1/audit/keys").then().statusCode(200)
                .body("keys[0].keyId", equalTo("test-audit-2025")).body("keys[0].status", equalTo("current"))
                .extract().path("keys[0].publicKey");
        assertThat(published).isEqualTo(Ed25519Keys.publicKeyBase64(Ed25519Keys.publicOf(
                Ed25519Keys.readPrivate(Path.of("src/test/resources/audit-keys/test-audit-2025.pem")))));
    }

    private static java.time.Instant Instant() {
        return java.time.Instant.now();
    }

    private static JsonPath verifyAsPlatform() {
        return given().header("Authorization", TestTokens.bearer("platform", "operator")).get("/v1/audit/verify")
                .then().statusCode(200).extract().jsonPath();
    }

    private static List<Map<String, Object>> mismatchesOf(JsonPath report, String requestId) {
        List<Map<String, Object>> all = report.getList("mismatches");
        return all.stream().filter(m -> requestId.equals(m.get("requestId"))).toList();
    }

    private static AuditAnchor publishedAnchorOf(String requestId) {
        return await().atMost(WAIT).until(() -> anchorsOnKafka().stream().filter(a -> mentions(a, requestId))
                .findFirst(), Optional::isPresent).get();
    }

    private static boolean mentions(AuditAnchor anchor, String requestId) {
        return anchor.entries().stream().anyMatch(e -> e.requestId().equals(requestId));
    }

    private static List<AuditAnchor> anchorsOnKafka() {
        return PlatformTestResource.kafka().readAll(Topics.AUDIT_ANCHOR).stream()
                .map(r -> CODEC.decode(EventEnvelope.fromRecord(r), AuditAnchor.class)).toList();
    }

    private static List<AnchoredEntry> entriesInDatabase(String requestId) {
        return TestDatabase.rows("SELECT seq, hash FROM request_audit WHERE request_id = ? ORDER BY seq",
                UUID.fromString(requestId)).stream()
                .map(r -> new AnchoredEntry(requestId, ((Number) r.get("seq")).intValue(), (String) r.get("hash")))
                .toList();
    }

    /** The documented signed form, written here independently of the payload record. */
    private static String signedForm(AuditAnchor a) {
        return "{\"anchor\":" + a.anchor() + ",\"entries\":" + a.entries().size() + ",\"entriesDigest\":\""
                + sha256(lines(a.entries())) + "\",\"issuedAt\":\"" + a.issuedAt() + "\",\"keyId\":\"" + a.keyId()
                + "\",\"previous\":\"" + a.previous() + "\"}";
    }

    private static String lines(List<AnchoredEntry> entries) {
        StringBuilder text = new StringBuilder();
        entries.forEach(e -> text.append(e.requestId()).append(':').append(e.seq()).append(':').append(e.hash())
                .append('\n'));
        return text.toString();
    }

    /** With the published key the anchor names, as anyone holding a copy would check it. */
    private static boolean signatureHolds(AuditAnchor anchor) {
        List<Map<String, String>> keys = given().get("/v1/audit/keys").then().statusCode(200).extract()
                .path("keys");
        String key = keys.stream().filter(k -> k.get("keyId").equals(anchor.keyId())).map(k -> k.get("publicKey"))
                .findFirst().orElseThrow();
        return Ed25519Keys.verify(Ed25519Keys.publicKeyFromBase64(key),
                signedForm(anchor).getBytes(StandardCharsets.UTF_8), anchor.signature());
    }

    /** Rewrites one entry's detail and recomputes the hashes after it and the request's head, as a tamperer would. */
    private static void rewriteAndRechain(UUID requestId, int seq, String detail) throws Exception {
        try (Connection connection = TestDatabase.connect()) {
            try (Statement statement = connection.createStatement()) {
                statement.execute("SET session_replication_role = replica");
            }
            try (PreparedStatement update = connection.prepareStatement(
                    "UPDATE request_audit SET detail = ? WHERE request_id = ? AND seq = ?")) {
                update.setString(1, detail);
                update.setObject(2, requestId);
                update.setInt(3, seq);
                assertThat(update.executeUpdate()).isEqualTo(1);
            }
            List<Map<String, Object>> rows = TestDatabase.rows("SELECT seq, to_char(at AT TIME ZONE 'UTC', "
                    + "'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"') AS at, actor, action, detail FROM request_audit"
                    + " WHERE request_id = ? ORDER BY seq", requestId);
            String prev = GENESIS;
            ObjectMapper json = new ObjectMapper();
            for (Map<String, Object> row : rows) {
                String canonical = "{\"seq\":" + row.get("seq") + ",\"at\":\"" + row.get("at") + "\",\"actor\":"
                        + json.writeValueAsString(row.get("actor")) + ",\"action\":"
                        + json.writeValueAsString(row.get("action")) + ",\"detail\":"
                        + json.writeValueAsString(row.get("detail")) + "}";
                String hash = sha256(prev + canonical);
                try (PreparedStatement update = connection.prepareStatement(
                        "UPDATE request_audit SET prev_hash = ?, hash = ? WHERE request_id = ? AND seq = ?")) {
                    update.setString(1, prev);
                    update.setString(2, hash);
                    update.setObject(3, requestId);
                    update.setInt(4, ((Number) row.get("seq")).intValue());
                    update.executeUpdate();
                }
                prev = hash;
            }
            try (PreparedStatement head = connection.prepareStatement(
                    "UPDATE rights_request SET audit_head = ? WHERE id = ?")) {
                head.setString(1, prev);
                head.setObject(2, requestId);
                assertThat(head.executeUpdate()).isEqualTo(1);
            }
        }
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(
                    MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
