package io.privacyplatform.consent.rest;

import static io.privacyplatform.consent.ConsentApi.as;
import static io.privacyplatform.consent.ConsentApi.record;
import static io.privacyplatform.consent.ConsentApi.subject;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.privacyplatform.consent.ConsentApi;
import io.privacyplatform.testing.TestDatabase;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;

@QuarkusTest
class UnsubscribeResourceTests {

    @BeforeEach
    void catalog() {
        ConsentApi.catalog("acme");
    }

    @Test
    void shouldRecordWithdrawalOnOneClickPostAndChangeNothingOnGet() {
        String subject = subject();
        record("acme", subject, "newsletter", "granted");
        String url = as("acme", "app").body(Map.of("subjectId", subject, "purpose", "newsletter"))
                .post("/v1/unsubscribe-links").then().statusCode(200)
                .body("url", startsWith("http://127.0.0.1:8081/v1/unsubscribe/"))
                .body("headers.List-Unsubscribe-Post", equalTo("List-Unsubscribe=One-Click"))
                .extract().path("url");
        String path = URI.create(url).getPath();
        // Every link is a new random token; the header carries the same URL as the body.
        var again = as("acme", "app").body(Map.of("subjectId", subject, "purpose", "newsletter"))
                .post("/v1/unsubscribe-links").then().statusCode(200).extract();
        assertThat(again.<String>path("url")).isNotEqualTo(url);
        assertThat(again.<String>path("headers.List-Unsubscribe")).isEqualTo("<" + again.path("url") + ">");

        // A mail scanner following the link: a page with a button, no change.
        RestAssured.get(path).then().statusCode(200).contentType(containsString("text/html"))
                .body(containsString("<form method=\"post\""))
                .body(containsString("Title of newsletter"));
        assertThat(records(subject)).isEqualTo(1);

        RestAssured.given().contentType(ContentType.URLENC).formParam("List-Unsubscribe", "One-Click")
                .post(path).then().statusCode(200).body(containsString("no longer receive"));
        assertThat(records(subject)).isEqualTo(2);
        assertThat(TestDatabase.rows("SELECT decision, channel FROM consent_record WHERE subject_id = ?"
                + " ORDER BY id DESC LIMIT 1", subject).get(0))
                .containsEntry("decision", "withdrawn").containsEntry("channel", "email");

        // Repeats are harmless: the purpose is already withdrawn, nothing more is recorded.
        RestAssured.given().contentType(ContentType.URLENC).formParam("List-Unsubscribe", "One-Click")
                .post(path).then().statusCode(200);
        assertThat(records(subject)).isEqualTo(2);
        as("acme", "app").get("/v1/subjects/{s}/consents", subject).then()
                .body("purposes[0].decision", equalTo("withdrawn"));
    }

    @Test
    void shouldIssueOpaqueTokensAndRejectAGuessedOneAndAWrongBody() {
        String subject = subject();
        record("acme", subject, "newsletter", "granted");
        String url = as("acme", "app").body(Map.of("subjectId", subject, "purpose", "newsletter"))
                .post("/v1/unsubscribe-links").then().statusCode(200).extract().path("url");
        String path = URI.create(url).getPath();
        String token = path.substring(path.lastIndexOf('/') + 1);
        // Nothing in the URL names the subject, even decoded; the table keeps only the token's hash.
        assertThat(url).doesNotContain(subject).doesNotContain("acme").doesNotContain("newsletter");
        assertThat(new String(Base64.getUrlDecoder().decode(token), StandardCharsets.ISO_8859_1))
                .doesNotContain(subject);
        assertThat(TestDatabase.count("SELECT count(*) FROM unsubscribe_token WHERE subject_id = ?"
                + " AND token_hash <> ? AND expires_at > now() + interval '89 days'", subject, token)).isEqualTo(1);
        String guessed = (token.charAt(0) == 'A' ? "B" : "A") + token.substring(1);

        RestAssured.given().contentType(ContentType.URLENC).formParam("List-Unsubscribe", "One-Click")
                .post("/v1/unsubscribe/" + guessed).then().statusCode(404).body("error.code", equalTo("not_found"));
        RestAssured.get("/v1/unsubscribe/" + token + "x").then().statusCode(404);
        RestAssured.given().contentType(ContentType.URLENC).formParam("List-Unsubscribe", "Maybe")
                .post(path).then().statusCode(400);
        assertThat(records(subject)).isEqualTo(1);

        as("acme", "app").body(Map.of("subjectId", subject, "purpose", "no-such-purpose"))
                .post("/v1/unsubscribe-links").then().statusCode(422).body("error.code", equalTo("unknown_purpose"));
    }

    @Test
    void shouldAnswerGoneForAnExpiredLinkAndChangeNothing() {
        String subject = subject();
        record("acme", subject, "newsletter", "granted");
        String path = URI.create(as("acme", "app").body(Map.of("subjectId", subject, "purpose", "newsletter"))
                .post("/v1/unsubscribe-links").then().statusCode(200).extract().<String>path("url")).getPath();
        // The link's 90 days are over.
        assertThat(TestDatabase.execute("UPDATE unsubscribe_token SET expires_at = now() - interval '1 second'"
                + " WHERE subject_id = ?", subject)).isEqualTo(1);

        RestAssured.get(path).then().statusCode(410).body("error.code", equalTo("link_expired"));
        RestAssured.given().contentType(ContentType.URLENC).formParam("List-Unsubscribe", "One-Click")
                .post(path).then().statusCode(410).body("error.code", equalTo("link_expired"));
        assertThat(records(subject)).isEqualTo(1);
        as("acme", "app").get("/v1/subjects/{s}/consents", subject).then()
                .body("purposes[0].decision", equalTo("granted"));
    }

    private static long records(String subject) {
        return TestDatabase.count("SELECT count(*) FROM consent_record WHERE subject_id = ?", subject);
    }
}
