package io.privacyplatform.request.rest;

import static io.privacyplatform.request.RequestFixtures.body;
import static io.privacyplatform.request.RequestFixtures.post;
import static io.privacyplatform.request.RequestFixtures.subject;
import static io.privacyplatform.request.RequestFixtures.submitted;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.privacyplatform.testing.TestDatabase;
import io.privacyplatform.testing.TestTokens;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class RequestAuditTests {

    @Test
    void shouldChainEveryTransitionAndVerify() throws Exception {
        String id = submitted("acme", body("erasure", subject()));
        post("acme", "operator", "/v1/requests/" + id + "/verification", Map.of("verifiedBy", "id-check"))
                .statusCode(200);
        post("acme", "operator", "/v1/requests/" + id + "/denial", Map.of("reason", "kept: legal claim"))
                .statusCode(200);
        var audit = given().header("Authorization", TestTokens.bearer("acme", "operator"))
                .get("/v1/requests/" + id + "/audit").then().statusCode(200).extract().jsonPath();
        List<String> actions = audit.getList("entries.action");
        assertThat(actions).containsExactly("submitted", "verification_code_sent", "verified", "denied");
        assertThat(audit.getList("entries.seq", Integer.class)).containsExactly(1, 2, 3, 4);
        assertThat(audit.getString("entries[0].prevHash")).isEqualTo("0".repeat(64));
        assertThat(audit.getString("entries[1].prevHash")).isEqualTo(audit.getString("entries[0].hash"));
        assertThat(audit.getString("entries[3].actor")).isEqualTo("acme-operator");
        // No contact address in the trail.
        assertThat(audit.prettify()).doesNotContain("jane.doe@example.com");

        // The documented canonical form, recomputed here independently of the service.
        Map<String, Object> first = TestDatabase.rows("SELECT to_char(at AT TIME ZONE 'UTC', "
                + "'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"') AS at, actor, action, detail, hash FROM request_audit "
                + "WHERE request_id = ? AND seq = 1", UUID.fromString(id)).get(0);
        String canonical = "{\"seq\":1,\"at\":\"" + first.get("at") + "\",\"actor\":\"" + first.get("actor")
                + "\",\"action\":\"" + first.get("action") + "\",\"detail\":"
                + new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(first.get("detail")) + "}";
        assertThat(first.get("hash")).isEqualTo(sha256("0".repeat(64) + canonical));

        verification(id).body("valid", equalTo(true)).body("brokenAt", nullValue()).body("entries", equalTo(4));
    }

    @Test
    void shouldDetectATamperedEntry() throws Exception {
        String id = submitted("acme", body("erasure", subject()));
        post("acme", "operator", "/v1/requests/" + id + "/denial", Map.of("reason", "manifestly unfounded"))
                .statusCode(200);
        verification(id).body("valid", equalTo(true));

        // The table refuses changes outright...
        assertThatThrownBy(() -> TestDatabase.execute(
                "UPDATE request_audit SET detail = '{}' WHERE request_id = ? AND seq = 2", UUID.fromString(id)))
                .hasStackTraceContaining("append-only");
        // ...so a tamperer with superuser rights switches the trigger off for the session: the chain still tells.
        try (Connection connection = TestDatabase.connect()) {
            try (Statement statement = connection.createStatement()) {
                statement.execute("SET session_replication_role = replica");
            }
            try (PreparedStatement update = connection.prepareStatement(
                    "UPDATE request_audit SET detail = '{\"verifiedBy\":\"nobody\"}' WHERE request_id = ? AND seq = 2")) {
                update.setObject(1, UUID.fromString(id));
                assertThat(update.executeUpdate()).isEqualTo(1);
            }
        }
        verification(id).body("valid", equalTo(false)).body("brokenAt", equalTo(2));
    }

    @Test
    void shouldChainALongReasonFullOfCharactersThatNeedEscaping() {
        String id = submitted("acme", body("erasure", subject()));
        String reason = "\"\\".repeat(1000);
        post("acme", "operator", "/v1/requests/" + id + "/denial", Map.of("reason", reason)).statusCode(200)
                .body("outcome.reason", equalTo(reason));
        verification(id).body("valid", equalTo(true)).body("entries", equalTo(3));
    }

    private static io.restassured.response.ValidatableResponse verification(String id) {
        return given().header("Authorization", TestTokens.bearer("acme", "operator"))
                .get("/v1/requests/" + id + "/audit/verification").then().statusCode(200);
    }

    private static String sha256(String text) throws Exception {
        return HexFormat.of().formatHex(
                MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    }
}
