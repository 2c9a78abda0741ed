package io.privacyplatform.consent.listener;

import static io.privacyplatform.consent.ConsentApi.as;
import static io.privacyplatform.consent.ConsentApi.record;
import static io.privacyplatform.consent.ConsentApi.subject;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.privacyplatform.consent.ConsentApi;
import io.privacyplatform.events.EventEnvelope;
import io.privacyplatform.events.RecordDigest;
import io.privacyplatform.events.Topics;
import io.privacyplatform.events.payload.AckOutcome;
import io.privacyplatform.events.payload.CommandAck;
import io.privacyplatform.events.payload.CommandKind;
import io.privacyplatform.events.payload.CommandSubject;
import io.privacyplatform.events.payload.ConsentChanged;
import io.privacyplatform.events.payload.PrivacyCommand;
import io.privacyplatform.events.payload.Retained;
import io.privacyplatform.consent.service.Suppressions;
import io.privacyplatform.testing.TestDatabase;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;

@QuarkusTest
class PrivacyCommandListenerTests {

    @Inject
    Suppressions suppressions;

    @BeforeEach
    void catalog() {
        ConsentApi.catalog("acme");
    }

    @Test
    void shouldDeleteEveryRowOfTheSubjectKeepOnlyASuppressionAndSaySo() throws Exception {
        String subject = subject();
        String key = ConsentApi.PSEUDONYM.of("acme", subject);
        List<String> ids = new ArrayList<>(List.of(record("acme", subject, "newsletter", "granted"),
                record("acme", subject, "newsletter", "withdrawn"), record("acme", subject, "ads", "granted")));
        ids.add(as("acme", "app").header("Idempotency-Key", UUID.randomUUID().toString())
                .body("{\"subjectId\":\"" + subject + "\",\"purpose\":\"analytics\",\"decision\":\"denied\","
                        + "\"evidence\":{\"ipAddress\":\"198.51.100.4\",\"text\":\"No thanks\"}}")
                .post("/v1/consents").then().statusCode(201).extract().path("consentId"));
        String link = unsubscribePath(subject, "ads");
        String other = subject();
        record("acme", other, "newsletter", "granted");
        ConsentApi.events(Topics.CONSENT_CHANGED, key, ConsentChanged.class, e -> e.size() == 4);
        await().atMost(ConsentApi.WAIT).until(() -> TestDatabase.count("SELECT count(*) FROM outbox_event"
                + " WHERE record_key = ? AND sent_at IS NULL", key) == 0);

        PrivacyCommand erase = command(CommandKind.ERASE, subject, "consent-service");
        PrivacyCommand forSomeoneElse = command(CommandKind.ERASE, subject, "mail-log-store");
        EventEnvelope delivered = envelope(erase, key);
        ConsentApi.send(Topics.COMMAND, envelope(forSomeoneElse, key), delivered, delivered);

        CommandAck ack = ConsentApi.events(Topics.COMMAND_ACK, key, CommandAck.class, a -> !a.isEmpty()).get(0);
        assertThat(ack.commandId()).isEqualTo(erase.commandId());
        assertThat(ack.system()).isEqualTo("consent-service");
        assertThat(ack.outcome()).isEqualTo(AckOutcome.DONE);
        assertThat(ack.records()).isEqualTo(4);
        assertThat(ack.digest()).isEqualTo(RecordDigest.of(ids));
        // The subject had withdrawn the newsletter: a do-not-e-mail entry is all that is kept, and the ack says so.
        assertThat(ack.retained()).containsExactly(Retained.of("marketing_suppression",
                Suppressions.RETAINED.basis(), "keyed hash (HMAC-SHA256, tenant key)"));
        assertThat(suppressions.isSuppressed("acme", "newsletter", subject)).isTrue();
        assertThat(suppressions.isSuppressed("acme", "ads", subject)).as("ads was granted, not withdrawn").isFalse();

        for (String table : new String[] { "consent_record", "consent_current", "tcf_consent",
                "restricted_subject", "unsubscribe_token" }) {
            assertThat(TestDatabase.count("SELECT count(*) FROM " + table + " WHERE subject_id = ?", subject))
                    .as(table).isZero();
        }
        assertThat(TestDatabase.count("SELECT count(*) FROM consent_record WHERE consent_id::text IN (?, ?, ?, ?)",
                ids.toArray())).as("no pseudonymised copy").isZero();
        assertThat(TestDatabase.count("SELECT count(*) FROM idempotency_key WHERE strpos(response_body, ?) > 0",
                subject)).isZero();
        assertThat(TestDatabase.count("SELECT count(*) FROM outbox_event WHERE record_key = ? AND topic = ?", key,
                Topics.CONSENT_CHANGED)).as("sent events of the subject").isZero();
        assertThat(TestDatabase.count("SELECT count(*) FROM suppression WHERE subject_hash LIKE ?", "%" + subject
                + "%")).isZero();
        assertThat(TestDatabase.count("SELECT count(*) FROM consent_record WHERE subject_id = ?", other))
                .isEqualTo(1);
        as("acme", "app").get("/v1/subjects/{s}/consents", subject).then().statusCode(404);
        as("acme", "app").get("/v1/consents/{id}/receipt", ids.get(0)).then().statusCode(404);
        // An old unsubscribe link of the erased subject is unknown and writes nothing back.
        RestAssured.given().contentType(ContentType.URLENC).formParam("List-Unsubscribe", "One-Click")
                .post(link).then().statusCode(404);
        assertThat(TestDatabase.count("SELECT count(*) FROM consent_record WHERE subject_id = ?", subject)).isZero();

        // The duplicate delivery had no second effect: once a later command of the key was answered, the ERASE
        // has one ack. A re-sent command (new event, same commandId) gets the remembered ack again, retained too.
        PrivacyCommand export = command(CommandKind.EXPORT, subject, "consent-service");
        ConsentApi.send(Topics.COMMAND, envelope(export, key));
        List<CommandAck> acks = ConsentApi.events(Topics.COMMAND_ACK, key, CommandAck.class, a -> a.size() >= 2);
        assertThat(acks).extracting(CommandAck::commandId).containsExactly(erase.commandId(), export.commandId());
        assertThat(acks.get(1).outcome()).isEqualTo(AckOutcome.NOT_FOUND);
        ConsentApi.send(Topics.COMMAND, envelope(erase, key));
        acks = ConsentApi.events(Topics.COMMAND_ACK, key, CommandAck.class, a -> a.size() >= 3);
        assertThat(acks.get(2)).isEqualTo(acks.get(0));
    }

    @Test
    void shouldRetainNothingWhenTheSubjectNeverWithdrewMarketingEmail() {
        String subject = subject();
        String key = ConsentApi.PSEUDONYM.of("acme", subject);
        String granted = record("acme", subject, "newsletter", "granted");
        String withdrawnAds = record("acme", subject, "ads", "withdrawn");
        PrivacyCommand erase = command(CommandKind.ERASE, subject, "consent-service");

        ConsentApi.send(Topics.COMMAND, envelope(erase, key));

        CommandAck ack = ackOf(key, erase);
        assertThat(ack.outcome()).isEqualTo(AckOutcome.DONE);
        assertThat(ack.digest()).isEqualTo(RecordDigest.of(granted, withdrawnAds));
        assertThat(ack.retained()).isEmpty();
        assertThat(suppressions.isSuppressed("acme", "newsletter", subject)).isFalse();
        assertThat(suppressions.isSuppressed("acme", "ads", subject)).isFalse();
        assertThat(TestDatabase.count("SELECT count(*) FROM consent_record WHERE consent_id::text IN (?, ?)",
                granted, withdrawnAds)).isZero();
    }

    @Test
    void shouldAckNotFoundForAnUnknownSubjectAndExportHistory() throws Exception {
        String unknown = subject();
        String unknownKey = ConsentApi.PSEUDONYM.of("acme", unknown);
        ConsentApi.send(Topics.COMMAND, envelope(command(CommandKind.ERASE, unknown, "consent-service"), unknownKey));
        CommandAck notFound = ConsentApi.events(Topics.COMMAND_ACK, unknownKey, CommandAck.class,
                a -> !a.isEmpty()).get(0);
        assertThat(notFound.outcome()).isEqualTo(AckOutcome.NOT_FOUND);
        assertThat(notFound.records()).isZero();
        assertThat(notFound.digest()).isEqualTo(RecordDigest.EMPTY);

        String subject = subject();
        String key = ConsentApi.PSEUDONYM.of("acme", subject);
        String consentId = record("acme", subject, "newsletter", "granted");
        PrivacyCommand export = command(CommandKind.EXPORT, subject, "consent-service");
        ConsentApi.send(Topics.COMMAND, envelope(export, key));
        CommandAck ack = ConsentApi.events(Topics.COMMAND_ACK, key, CommandAck.class, a -> !a.isEmpty()).get(0);
        assertThat(ack.outcome()).isEqualTo(AckOutcome.DONE);
        assertThat(ack.records()).isEqualTo(1);
        assertThat(ack.digest()).isEqualTo(RecordDigest.of(consentId));
        assertThat(ack.data().isArray()).isTrue();
        assertThat(ack.data().get(0).get("consentId").asText()).isEqualTo(consentId);
        assertThat(ack.data().get(0).get("decision").asText()).isEqualTo("granted");
        assertThat(ack.data().get(0).get("purpose").asText()).isEqualTo("newsletter");
    }

    @Test
    void shouldRestrictAndLiftARestrictionOfTheSubject() {
        String subject = subject();
        String key = ConsentApi.PSEUDONYM.of("acme", subject);
        record("acme", subject, "newsletter", "granted");
        PrivacyCommand restrict = command(CommandKind.RESTRICT, subject, "consent-service");
        PrivacyCommand again = command(CommandKind.RESTRICT, subject, "consent-service");

        ConsentApi.send(Topics.COMMAND, envelope(restrict, key), envelope(again, key));

        assertThat(ackOf(key, restrict)).extracting(CommandAck::outcome, CommandAck::records, CommandAck::detail)
                .containsExactly(AckOutcome.DONE, 0L, "restricted");
        assertThat(ackOf(key, again)).extracting(CommandAck::outcome, CommandAck::detail)
                .containsExactly(AckOutcome.DONE, "already restricted");
        assertThat(TestDatabase.rows("SELECT request_id FROM restricted_subject WHERE tenant_id = 'acme'"
                + " AND subject_id = ?", subject)).extracting(r -> r.get("request_id"))
                .containsExactly(restrict.requestId());
        as("acme", "app").get("/v1/subjects/{s}/consents", subject).then().body("restricted", equalTo(true))
                .body("purposes[0].decision", equalTo("granted"))
                .body("purposes[0].effectiveDecision", equalTo("withheld"));

        PrivacyCommand lift = command(CommandKind.LIFT_RESTRICTION, subject, "consent-service");
        PrivacyCommand liftAgain = command(CommandKind.LIFT_RESTRICTION, subject, "consent-service");
        ConsentApi.send(Topics.COMMAND, envelope(lift, key), envelope(liftAgain, key));

        assertThat(ackOf(key, lift)).extracting(CommandAck::outcome, CommandAck::detail)
                .containsExactly(AckOutcome.DONE, "restriction lifted");
        assertThat(ackOf(key, liftAgain)).extracting(CommandAck::outcome, CommandAck::records, CommandAck::detail)
                .containsExactly(AckOutcome.NOT_FOUND, 0L, "not restricted");
        assertThat(TestDatabase.count("SELECT count(*) FROM restricted_subject WHERE tenant_id = 'acme'"
                + " AND subject_id = ?", subject)).isZero();
        assertThat(TestDatabase.count("SELECT count(*) FROM consent_record WHERE subject_id = ?", subject))
                .isEqualTo(1);
        as("acme", "app").get("/v1/subjects/{s}/consents", subject).then().body("restricted", equalTo(false))
                .body("purposes[0].effectiveDecision", equalTo("granted"));
    }

    @Test
    void shouldHoldAPurgeAndKeepEveryConsentRecord() {
        String subject = subject();
        record("acme", subject, "newsletter", "granted");
        record("acme", subject, "ads", "denied");
        PrivacyCommand purge = new PrivacyCommand(UUID.randomUUID().toString(), CommandKind.PURGE, "acme",
                "consent-service", null, null, List.of("consent_records"), Instant.now(), Map.of(), Instant.now(),
                null, 1);

        ConsentApi.send(Topics.COMMAND, envelope(purge, "acme"));

        CommandAck ack = ackOf("acme", purge);
        assertThat(ack.outcome()).isEqualTo(AckOutcome.HELD);
        assertThat(ack.records()).isZero();
        assertThat(ack.detail()).contains("proof of consent");
        // Cut-off now: a purge would have taken every record; they are all still there, unchanged.
        assertThat(TestDatabase.count("SELECT count(*) FROM consent_record WHERE subject_id = ?", subject))
                .isEqualTo(2);
    }

    @Test
    void shouldAnswerARectificationWithoutChangingAnyRecord() {
        String subject = subject();
        String key = ConsentApi.PSEUDONYM.of("acme", subject);
        String consentId = record("acme", subject, "newsletter", "granted");
        String row = "SELECT subject_id, purpose_id, decision, evidence_text FROM consent_record"
                + " WHERE consent_id = ?::uuid";
        List<Map<String, Object>> before = TestDatabase.rows(row, consentId);
        PrivacyCommand rectify = rectify(subject);
        String unknown = subject();
        String unknownKey = ConsentApi.PSEUDONYM.of("acme", unknown);
        PrivacyCommand rectifyUnknown = rectify(unknown);

        ConsentApi.send(Topics.COMMAND, envelope(rectify, key), envelope(rectifyUnknown, unknownKey));

        CommandAck ack = ackOf(key, rectify);
        assertThat(ack.outcome()).isEqualTo(AckOutcome.DONE);
        assertThat(ack.records()).isZero();
        assertThat(ack.detail()).isEqualTo("consent records hold decisions, no attributes to rectify");
        assertThat(ackOf(unknownKey, rectifyUnknown).outcome()).isEqualTo(AckOutcome.NOT_FOUND);
        assertThat(TestDatabase.rows(row, consentId)).hasSize(1).isEqualTo(before);
    }

    /** The path of a fresh one-click unsubscribe link of the subject. */
    private static String unsubscribePath(String subject, String purpose) {
        String url = as("acme", "app").body(Map.of("subjectId", subject, "purpose", purpose))
                .post("/v1/unsubscribe-links").then().statusCode(200).extract().path("url");
        return URI.create(url).getPath();
    }

    private static PrivacyCommand rectify(String subject) {
        return new PrivacyCommand(UUID.randomUUID().toString(), CommandKind.RECTIFY, "acme", "consent-service",
                UUID.randomUUID().toString(), new CommandSubject(subject, null), List.of(), null,
                Map.of("email", "new-" + UUID.randomUUID() + "@example.com"), Instant.now(), null, 1);
    }

    /** The ack of {@code command}, once it is on the ack topic under {@code key}. */
    private static CommandAck ackOf(String key, PrivacyCommand command) {
        return ConsentApi.events(Topics.COMMAND_ACK, key, CommandAck.class,
                acks -> acks.stream().anyMatch(a -> a.commandId().equals(command.commandId()))).stream()
                .filter(a -> a.commandId().equals(command.commandId())).findFirst().orElseThrow();
    }

    private static PrivacyCommand command(CommandKind kind, String subject, String system) {
        return new PrivacyCommand(UUID.randomUUID().toString(), kind, "acme", system, UUID.randomUUID().toString(),
                new CommandSubject(subject, null), List.of(), null, Map.of(), Instant.now(), null, 1);
    }

    private static EventEnvelope envelope(PrivacyCommand command, String key) {
        return ConsentApi.CODEC.envelope("/services/retention-service", "acme", key, command);
    }
}
