package io.privacyplatform.consent.service;

import static io.privacyplatform.consent.ConsentApi.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.privacyplatform.consent.ConsentApi;
import io.privacyplatform.events.Ed25519Keys;
import io.privacyplatform.events.EventEnvelope;
import io.privacyplatform.events.EventSignature;
import io.privacyplatform.events.Topics;
import io.privacyplatform.events.payload.ConsentApplied;
import io.privacyplatform.events.payload.ConsentChanged;
import io.privacyplatform.events.payload.Notification;
import io.privacyplatform.testing.PlatformTestResource;
import io.privacyplatform.testing.TestDatabase;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Consent propagation: the registry of consent subscribers, their signed acknowledgements on the real topic, what a
 * decision shows, and the alert for a withdrawal not applied within the deadline (PT5S in the test profile).
 */
@QuarkusTest
class ConsentPropagationTests {

    private static final String TENANT = "propagation";

    @Inject
    MeterRegistry meters;

    @Inject
    ConsentPropagation propagation;

    private final List<String> registered = new ArrayList<>();
    private String subject;
    private String key;

    @BeforeEach
    void catalog() {
        ConsentApi.catalog(TENANT);
        subject = ConsentApi.subject();
        key = ConsentApi.PSEUDONYM.of(TENANT, subject);
    }

    /** A subscriber registered here expects every later withdrawal of every tenant: gone when the test ends. */
    @AfterEach
    void removeSubscribers() {
        registered.forEach(id -> as("platform", "admin").delete("/v1/consent-subscribers/" + id));
    }

    @Test
    void shouldRegisterConsentSubscribersForPlatformAdminsOnlyAndValidateThem() {
        String id = "mailer-" + UUID.randomUUID().toString().substring(0, 8);
        String publicKey = Ed25519Keys.publicKeyBase64(Ed25519Keys.generate().getPublic());

        register(id, publicKey).then().statusCode(201).body("id", equalTo(id)).body("publicKey", equalTo(publicKey))
                .body("owner", equalTo("e-mail delivery"));
        Instant registeredAt = Instant.parse(as("platform", "admin").get("/v1/consent-subscribers/" + id)
                .then().statusCode(200).extract().path("registeredAt"));
        register(id, publicKey).then().statusCode(200)
                .body("registeredAt", equalTo(as("platform", "admin").get("/v1/consent-subscribers/" + id)
                        .then().extract().path("registeredAt")));
        assertThat(TestDatabase.rows("SELECT public_key, registered_at FROM consent_subscriber WHERE id = ?", id))
                .singleElement().satisfies(row -> {
                    assertThat(row.get("public_key")).isEqualTo(publicKey);
                    assertThat(((java.sql.Timestamp) row.get("registered_at")).toInstant()).isEqualTo(registeredAt);
                });
        as("acme", "operator").get("/v1/consent-subscribers").then().statusCode(200)
                .body("items.id", org.hamcrest.Matchers.hasItem(id));

        // Platform configuration: a tenant's admin may not change it, an app may not even read it.
        as("acme", "admin").body(input(publicKey)).put("/v1/consent-subscribers/other").then().statusCode(403)
                .body("error.code", equalTo("platform_admin_only"));
        as("acme", "app").get("/v1/consent-subscribers").then().statusCode(403);
        as("platform", "admin").body(input("not-a-key")).put("/v1/consent-subscribers/other").then()
                .statusCode(400).body("error.details[0].field", equalTo("publicKey"));
        as("platform", "admin").body(input(publicKey)).put("/v1/consent-subscribers/has space").then()
                .statusCode(400).body("error.details[0].field", equalTo("systemId"));
        as("platform", "admin").body("{\"owner\":\"x\",\"publicKey\":\"" + publicKey + "\"}")
                .put("/v1/consent-subscribers/other").then().statusCode(400);
        assertThat(TestDatabase.count("SELECT count(*) FROM consent_subscriber WHERE id = 'other'")).isZero();

        as("platform", "admin").delete("/v1/consent-subscribers/" + id).then().statusCode(204);
        as("platform", "admin").get("/v1/consent-subscribers/" + id).then().statusCode(404);
    }

    @Test
    void shouldRecordWhoAppliedADecisionOnceFromItsSignedAcknowledgement() {
        KeyPair keys = Ed25519Keys.generate();
        String mailer = subscriber(keys);
        String consentId = ConsentApi.record(TENANT, subject, "newsletter", "granted");
        ConsentChanged decision = decisionEvent(consentId);
        Instant appliedAt = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        ProducerRecord<String, byte[]> ack = signedAck(decision, mailer, appliedAt, keys);

        PlatformTestResource.kafka().send(ack, ack);

        await().atMost(ConsentApi.WAIT).untilAsserted(() -> as(TENANT, "app")
                .get("/v1/consents/" + consentId + "/propagation").then().statusCode(200)
                .body("state", equalTo("applied")).body("decision", equalTo("granted"))
                .body("dueBy", org.hamcrest.Matchers.nullValue())
                .body("systems.find { it.system == '" + mailer + "' }.state", equalTo("applied"))
                .body("systems.find { it.system == '" + mailer + "' }.appliedAt", equalTo(appliedAt.toString())));
        // A second acknowledgement of the same decision (a republish with another event id) changes nothing either.
        PlatformTestResource.kafka().send(signedAck(decision, mailer, appliedAt.plusSeconds(9), keys));
        await().atMost(ConsentApi.WAIT).until(() -> TestDatabase.count("SELECT count(*) FROM inbox_event"
                + " WHERE consumer = 'consent-service/privacy.consent.applied.v1' AND event_id = ?",
                eventIdOf(ack)) == 1 && appliedRows(consentId) == 1);
        assertThat(TestDatabase.rows("SELECT subscriber_id, applied_at, event_id FROM consent_application"
                + " WHERE consent_id = ?::uuid", consentId)).singleElement().satisfies(row -> {
                    assertThat(row.get("subscriber_id")).isEqualTo(mailer);
                    assertThat(((java.sql.Timestamp) row.get("applied_at")).toInstant()).isEqualTo(appliedAt);
                    assertThat(row.get("event_id").toString()).isEqualTo(decision.eventId());
                });

        // Another tenant does not see the decision at all.
        as("acme", "app").get("/v1/consents/" + consentId + "/propagation").then().statusCode(404);
    }

    @Test
    void shouldRejectAnAcknowledgementNotSignedWithTheSubscribersKey() {
        String mailer = subscriber(Ed25519Keys.generate());
        String consentId = ConsentApi.record(TENANT, subject, "newsletter", "withdrawn");
        ConsentChanged decision = decisionEvent(consentId);
        double rejectedBefore = rejected("bad_signature");
        double unknownBefore = rejected("unknown_subscriber");

        ProducerRecord<String, byte[]> forged = signedAck(decision, mailer, Instant.now(), Ed25519Keys.generate());
        ProducerRecord<String, byte[]> unregistered = signedAck(decision, "nobody-" + mailer, Instant.now(),
                Ed25519Keys.generate());
        PlatformTestResource.kafka().send(forged, unregistered);

        // The forged one is dead-lettered; the unregistered system's is counted and passed over (nothing is tracked
        // for it, and a subscriber may acknowledge before it is registered): not on the dead-letter topic.
        await().atMost(ConsentApi.WAIT).until(() -> rejected("unknown_subscriber") == unknownBefore + 1);
        List<ConsumerRecord<String, byte[]>> dead = await().atMost(ConsentApi.WAIT).until(() -> PlatformTestResource
                .kafka().readAll(Topics.deadLetterOf(Topics.CONSENT_APPLIED)).stream()
                .filter(r -> key.equals(r.key())).toList(), r -> r.size() >= 1);
        assertThat(dead).extracting(r -> header(r, "dead-letter-reason"))
                .singleElement().satisfies(reason -> assertThat(reason).contains("bad_signature"));
        assertThat(appliedRows(consentId)).isZero();
        assertThat(rejected("bad_signature")).isEqualTo(rejectedBefore + 1);
        as(TENANT, "operator").get("/v1/consents/" + consentId + "/propagation").then().statusCode(200)
                .body("systems.find { it.system == '" + mailer + "' }.state",
                        org.hamcrest.Matchers.oneOf("pending", "overdue"));
    }

    @Test
    void shouldRaiseTheAlertForAWithdrawalNotAppliedInTime() {
        KeyPair mailerKeys = Ed25519Keys.generate();
        String mailer = subscriber(mailerKeys);
        String ads = subscriber(Ed25519Keys.generate());
        String consentId = ConsentApi.record(TENANT, subject, "newsletter", "withdrawn");
        PlatformTestResource.kafka().send(signedAck(decisionEvent(consentId), mailer, Instant.now(), mailerKeys));

        // The ads integration never applies it: once the deadline has passed it is overdue, listed and alerted.
        await().atMost(ConsentApi.WAIT).untilAsserted(() -> as(TENANT, "operator")
                .get("/v1/consent-propagation/overdue").then().statusCode(200)
                .body("withdrawalDeadline", equalTo("PT5S"))
                .body("items.findAll { it.consentId == '" + consentId + "' }.system", equalTo(List.of(ads))));
        as(TENANT, "app").get("/v1/consents/" + consentId + "/propagation").then().statusCode(200)
                .body("state", equalTo("overdue"))
                .body("systems.find { it.system == '" + ads + "' }.state", equalTo("overdue"))
                .body("systems.find { it.system == '" + mailer + "' }.state", equalTo("applied"));

        Notification alert = await().atMost(ConsentApi.WAIT).until(() -> alertsOf(consentId), a -> a.size() == 1)
                .get(0);
        assertThat(alert.tenantId()).isEqualTo(TENANT);
        assertThat(alert.subjectId()).as("an alert for operators names no subject").isNull();
        assertThat(alert.recipient()).isNull();
        assertThat(alert.params()).containsEntry("consentId", consentId).containsEntry("system", ads)
                .containsEntry("purpose", "newsletter").containsKeys("recordedAt", "dueBy");
        assertThat(TestDatabase.count("SELECT count(*) FROM consent_propagation_alert WHERE consent_id = ?::uuid"
                + " AND subscriber_id = ?", consentId, ads)).isEqualTo(1);
        Gauge overdue = meters.find("consent.propagation.overdue").gauge();
        assertThat(overdue).isNotNull();
        await().atMost(ConsentApi.WAIT).until(() -> overdue.value() >= 1);
        Counter alerts = meters.find("consent.propagation.alerts").tag("system", ads).counter();
        assertThat(alerts).isNotNull();
        assertThat(alerts.count()).isEqualTo(1);

        // Alerted once: checks after it find the pair alerted already.
        propagation.alertOverdue();
        propagation.alertOverdue();
        assertThat(alerts.count()).isEqualTo(1);
        await().atMost(ConsentApi.WAIT).until(() -> TestDatabase.count("SELECT count(*) FROM outbox_event"
                + " WHERE sent_at IS NULL") == 0);
        assertThat(alertsOf(consentId)).hasSize(1);

        // Removed, the ads integration is expected to apply nothing any more: nothing of it is overdue.
        as("platform", "admin").delete("/v1/consent-subscribers/" + ads).then().statusCode(204);
        as(TENANT, "operator").get("/v1/consent-propagation/overdue").then().statusCode(200)
                .body("items.findAll { it.consentId == '" + consentId + "' }", org.hamcrest.Matchers.empty());
    }

    private String subscriber(KeyPair keys) {
        String id = "sub-" + UUID.randomUUID().toString().substring(0, 8);
        register(id, Ed25519Keys.publicKeyBase64(keys.getPublic())).then().statusCode(201);
        registered.add(id);
        return id;
    }

    private io.restassured.response.Response register(String id, String publicKey) {
        return as("platform", "admin").body(input(publicKey)).put("/v1/consent-subscribers/" + id);
    }

    private static String input(String publicKey) {
        return "{\"description\":\"Sends newsletters\",\"owner\":\"e-mail delivery\",\"publicKey\":\"" + publicKey
                + "\"}";
    }

    private ConsentChanged decisionEvent(String consentId) {
        return ConsentApi.events(Topics.CONSENT_CHANGED, key, ConsentChanged.class,
                events -> events.stream().anyMatch(e -> e.consentId().equals(consentId))).stream()
                .filter(e -> e.consentId().equals(consentId)).findFirst().orElseThrow();
    }

    /** The acknowledgement a consent subscriber publishes, signed with {@code keys} as the kit signs it. */
    private ProducerRecord<String, byte[]> signedAck(ConsentChanged decision, String system, Instant appliedAt,
            KeyPair keys) {
        EventEnvelope envelope = ConsentApi.CODEC.envelope("/consent-subscribers/" + system, TENANT, key,
                ConsentApplied.of(decision, system, appliedAt));
        ProducerRecord<String, byte[]> record = envelope.toRecord(Topics.CONSENT_APPLIED);
        new EventSignature(system, keys.getPrivate()).signInto(envelope, record.headers());
        return record;
    }

    private static String eventIdOf(ProducerRecord<String, byte[]> record) {
        return new String(record.headers().lastHeader("ce_id").value(), StandardCharsets.UTF_8);
    }

    private static long appliedRows(String consentId) {
        return TestDatabase.count("SELECT count(*) FROM consent_application WHERE consent_id = ?::uuid", consentId);
    }

    private static List<Notification> alertsOf(String consentId) {
        return PlatformTestResource.kafka().readAll(Topics.NOTIFICATION).stream().filter(r -> TENANT.equals(r.key()))
                .map(r -> ConsentApi.CODEC.decode(EventEnvelope.fromRecord(r), Notification.class))
                .filter(n -> Notification.CONSENT_NOT_APPLIED.equals(n.kind())
                        && consentId.equals(n.params().get("consentId")))
                .toList();
    }

    private double rejected(String reason) {
        Counter counter = meters.find("consent.propagation.acks.rejected").tag("reason", reason).counter();
        return counter == null ? 0 : counter.count();
    }

    private static String header(ConsumerRecord<String, byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
