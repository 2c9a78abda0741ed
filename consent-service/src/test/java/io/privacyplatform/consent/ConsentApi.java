package io.privacyplatform.consent;

import static org.awaitility.Awaitility.await;

import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;

import io.privacyplatform.events.EventCodec;
import io.privacyplatform.events.EventEnvelope;
import io.privacyplatform.events.SubjectPseudonym;
import io.privacyplatform.events.keys.JdbcSubjectKeys;
import io.privacyplatform.testing.PlatformTestResource;
import io.privacyplatform.testing.TestKeyStore;
import io.privacyplatform.testing.TestTokens;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;

/** What the tests of this module share: calls as a tenant's app or admin, and reading and writing Kafka. */
public final class ConsentApi {

    public static final Duration WAIT = Duration.ofSeconds(30);
    // With the key store the services under test use: their events' personal fields are sealed.
    public static final EventCodec CODEC = new EventCodec(Clock.systemUTC(),
            JdbcSubjectKeys.fromSettings(TestKeyStore.settings()));
    /** The secret of src/main/resources/application.properties' %test profile. */
    public static final SubjectPseudonym PSEUDONYM = SubjectPseudonym
            .fromSecret("test-only-pseudonym-secret-0123456789");
    /** A policy version every test tenant has, in effect since before any test's decisions. */
    public static final String POLICY = "2025-01";

    private ConsentApi() {
    }

    public static String subject() {
        return "subj-" + UUID.randomUUID();
    }

    public static RequestSpecification as(String tenant, String role) {
        return RestAssured.given().header("Authorization", TestTokens.bearer(tenant, role))
                .contentType(ContentType.JSON);
    }

    /** Creates (or re-creates identically) the purposes and the policy version the tests use in {@code tenant}. */
    public static void catalog(String tenant) {
        purpose(tenant, "newsletter", "marketing_email", "consent");
        purpose(tenant, "ads", "advertising", "consent");
        purpose(tenant, "retargeting", "advertising", "consent");
        purpose(tenant, "analytics", "analytics", "consent");
        purpose(tenant, "product-tips", "other", "legitimate_interest");
        purpose(tenant, "billing", "service", "contract");
        as(tenant, "admin").body("{\"effectiveAt\":\"2025-01-01T00:00:00Z\",\"material\":false,"
                + "\"summary\":\"first version\"}").put("/v1/policy-versions/" + POLICY)
                .then().statusCode(org.hamcrest.Matchers.anyOf(org.hamcrest.Matchers.is(200),
                        org.hamcrest.Matchers.is(201)));
    }

    public static void purpose(String tenant, String id, String category, String basis) {
        as(tenant, "admin").body("{\"title\":\"Title of " + id + "\",\"description\":\"About " + id
                + "\",\"category\":\"" + category + "\",\"defaultLawfulBasis\":\"" + basis + "\"}")
                .put("/v1/purposes/" + id).then().statusCode(org.hamcrest.Matchers.anyOf(
                        org.hamcrest.Matchers.is(200), org.hamcrest.Matchers.is(201)));
    }

    public static String decision(String subject, String purpose, String decision) {
        return "{\"subjectId\":\"" + subject + "\",\"purpose\":\"" + purpose + "\",\"decision\":\"" + decision
                + "\",\"policyVersion\":\"" + POLICY + "\",\"channel\":\"web\"}";
    }

    /** Records a decision as {@code tenant}'s app and answers its consentId. */
    public static String record(String tenant, String subject, String purpose, String decision) {
        return as(tenant, "app").body(decision(subject, purpose, decision)).post("/v1/consents")
                .then().statusCode(201).extract().path("consentId");
    }

    /** The events of {@code topic} with {@code key}, decoded, once {@code until} holds for them. */
    public static <T> List<T> events(String topic, String key, Class<T> type, Predicate<List<T>> until) {
        return await().atMost(WAIT).until(() -> PlatformTestResource.kafka().readAll(topic).stream()
                .filter(r -> key.equals(r.key()))
                .map(ConsentApi::envelope)
                .map(e -> CODEC.decode(e, type))
                .toList(), until);
    }

    public static EventEnvelope envelope(ConsumerRecord<String, byte[]> record) {
        return EventEnvelope.fromRecord(record);
    }

    public static void send(String topic, EventEnvelope... envelopes) {
        PlatformTestResource.kafka().send(Arrays.stream(envelopes).map(e -> e.toRecord(topic))
                .toArray(ProducerRecord[]::new));
    }
}
