package io.privacyplatform.retention.service;

import static io.privacyplatform.retention.RetentionFixtures.*;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.privacyplatform.events.EventCodec;
import io.privacyplatform.events.EventEnvelope;
import io.privacyplatform.events.RecordDigest;
import io.privacyplatform.events.Topics;
import io.privacyplatform.events.keys.JdbcSubjectKeys;
import io.privacyplatform.events.keys.SubjectErasedException;
import io.privacyplatform.events.payload.AckOutcome;
import io.privacyplatform.events.payload.CommandAck;
import io.privacyplatform.events.payload.PrivacyCommand;
import io.privacyplatform.events.payload.RequestProgress;
import io.privacyplatform.events.payload.RightsRequestChanged;
import io.privacyplatform.testing.PlatformTestResource;
import io.privacyplatform.testing.TestKeyStore;
import io.privacyplatform.testing.TestTokens;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Crypto-shredding end to end inside retention-service: the erasure's commands travel sealed with the subject's key;
 * once every store acknowledged, the key is destroyed, the certificate says so, and the topic read from its beginning
 * no longer opens the subject's commands while another subject's still open.
 */
@QuarkusTest
@SuppressWarnings("unchecked")
class CryptoShreddingIT {

    private static final Duration WAIT = Duration.ofSeconds(30);
    /** A reader in another process that keeps no key in memory: it sees a destroyed key at once. */
    private static final EventCodec READER = new EventCodec(Clock.systemUTC(),
            JdbcSubjectKeys.fromSettings(TestKeyStore.settings(), 0, Duration.ZERO));

    @BeforeEach
    void cleanDataMap() {
        resetDataMap();
    }

    @Test
    void shouldDestroyTheSubjectsKeyOnceEveryStoreAcknowledgedAndStateItOnTheCertificate() {
        String crm = unique("crm");
        registerSystem(crm, List.of("contact"), List.of("erase"), "PT30S");
        RightsRequestChanged ann = verified("acme", "erasure", unique("ann"));
        RightsRequestChanged bob = verified("acme", "erasure", unique("bob"));
        send(Topics.RIGHTS_REQUEST, envelope(ann), envelope(bob));
        ConsumerRecord<String, byte[]> annRecord = await().atMost(WAIT).until(() -> commandRecord(ann), r -> r != null);
        ConsumerRecord<String, byte[]> bobRecord = await().atMost(WAIT).until(() -> commandRecord(bob), r -> r != null);
        String annKeyId = EventEnvelope.fromRecord(annRecord).keyId();
        assertThat(annKeyId).isNotNull().isNotEqualTo(EventEnvelope.fromRecord(bobRecord).keyId());
        PrivacyCommand annCommand = READER.decode(EventEnvelope.fromRecord(annRecord), PrivacyCommand.class);
        assertThat(annCommand.subject().subjectId()).isEqualTo(ann.subjectId());

        // Until the store answers, the key stays: the erasure is not done.
        assertThat(certificateStatus(ann.requestId())).isEqualTo(404);
        acknowledge(annCommand, ann);
        await().atMost(WAIT).until(() -> RequestProgress.COMPLETED.equals(requestState(ann.requestId())));

        Map<String, Object> certificate = certificate(ann.requestId());
        assertThat(certificate).containsEntry("cryptoShredded", true).doesNotContainKey("cryptoShreddingReason");
        List<Map<String, Object>> keys = (List<Map<String, Object>>) certificate.get("subjectKeys");
        assertThat(keys).singleElement().satisfies(k -> {
            assertThat(k.get("keyId")).isEqualTo(annKeyId);
            assertThat(Instant.parse((String) k.get("destroyedAt"))).isBefore(Instant.now().plusSeconds(1));
        });

        // The topic from its beginning: ann's command no longer opens (erased, not poison); bob's still does.
        List<ConsumerRecord<String, byte[]>> all = PlatformTestResource.kafka().readAll(Topics.COMMAND);
        ConsumerRecord<String, byte[]> annAgain = all.stream().filter(r -> r.offset() == annRecord.offset()
                && r.partition() == annRecord.partition()).findFirst().orElseThrow();
        assertThatThrownBy(() -> READER.decode(EventEnvelope.fromRecord(annAgain), PrivacyCommand.class))
                .isInstanceOf(SubjectErasedException.class);
        assertThat(READER.decode(EventEnvelope.fromRecord(bobRecord), PrivacyCommand.class).subject().subjectId())
                .isEqualTo(bob.subjectId());
        // retention-service itself reads the erased subject's events as erased: no crash, no .dlq, counted.
        assertThat(PlatformTestResource.kafka().readAll(Topics.COMMAND + Topics.DLQ_SUFFIX)).noneMatch(
                r -> annKeyId.equals(EventEnvelope.fromRecord(r).keyId()));
    }

    private static ConsumerRecord<String, byte[]> commandRecord(RightsRequestChanged request) {
        String key = PSEUDONYM.of(request.tenantId(), request.subjectId());
        return PlatformTestResource.kafka().readAll(Topics.COMMAND).stream().filter(r -> key.equals(r.key()))
                .findFirst().orElse(null);
    }

    private static void acknowledge(PrivacyCommand command, RightsRequestChanged request) {
        CommandAck ack = new CommandAck(command.commandId(), command.targetSystem(), request.tenantId(),
                request.requestId(), AckOutcome.DONE, 1, RecordDigest.of("c-1"), null, null, Instant.now());
        send(Topics.COMMAND_ACK, ackEnvelope(ack, request.tenantId(),
                PSEUDONYM.of(request.tenantId(), request.subjectId())));
    }

    private static int certificateStatus(String requestId) {
        return given().header("Authorization", TestTokens.bearer("acme", "app"))
                .get("/v1/requests/{id}/certificate", requestId).then().extract().statusCode();
    }

    private static Map<String, Object> certificate(String requestId) {
        return given().header("Authorization", TestTokens.bearer("acme", "app"))
                .get("/v1/requests/{id}/certificate", requestId).then().statusCode(200).extract().as(Map.class);
    }
}
