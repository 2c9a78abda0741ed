package io.privacyplatform.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.privacyplatform.events.payload.CommandAck;
import io.privacyplatform.events.payload.Notification;
import io.privacyplatform.events.payload.PrivacyCommand;
import io.privacyplatform.events.payload.TenantSettings;

class EnvelopeRoundTripTest {

    private final EventCodec codec = new EventCodec(Examples.CLOCK);

    static Stream<Object> payloads() {
        return Stream.concat(Examples.all().stream(), Stream.of(Examples.exportAck(), Examples.purgeCommand()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("payloads")
    void everyPayloadSurvivesTheTripThroughAKafkaRecord(Object payload) {
        EventType type = EventType.ofPayload(payload.getClass());
        String key = Examples.keyOf(payload);
        EventEnvelope sent = codec.envelope("evt-1", "/services/test", Examples.tenantOf(payload), key, payload);

        ProducerRecord<String, byte[]> record = sent.toRecord(type.topic());

        assertThat(record.topic()).isEqualTo(type.topic());
        assertThat(record.key()).isEqualTo(key);
        Headers headers = record.headers();
        assertThat(text(headers, "ce_id")).isEqualTo("evt-1");
        assertThat(text(headers, "ce_source")).isEqualTo("/services/test");
        assertThat(text(headers, "ce_type")).isEqualTo(type.type());
        assertThat(text(headers, "ce_specversion")).isEqualTo("1.0");
        assertThat(text(headers, "ce_time")).isEqualTo("2025-05-01T10:15:30Z");
        assertThat(text(headers, "ce_subject")).isEqualTo(key);
        assertThat(text(headers, "ce_tenantid")).isEqualTo(Examples.tenantOf(payload));
        assertThat(text(headers, "content-type")).isEqualTo("application/json");

        EventEnvelope received = EventEnvelope.fromRecord(consumed(record));

        assertThat(received).isEqualTo(sent);
        assertThat(received.eventType()).isEqualTo(type);
        assertThat(codec.decode(received)).isEqualTo(payload);
        assertThat(codec.decode(received, type.payloadType())).isEqualTo(payload);
    }

    @Test
    void keysAreNeverRawAddressesAndTenantSettingsAreKeyedByTenant() {
        assertThat(Examples.key()).doesNotContain("@").doesNotContain(Examples.SUBJECT).hasSize(64);
        assertThat(Examples.keyOf(Examples.tenantSettings())).isEqualTo(Examples.TENANT);
    }

    @Test
    void anUnknownTypeIsRejected() {
        ProducerRecord<String, byte[]> record = valid(Examples.ack());
        replace(record.headers(), "ce_type", "io.example.unknown.v1");

        assertThatThrownBy(() -> EventEnvelope.fromRecord(consumed(record)))
                .isInstanceOf(InvalidEventException.class).hasMessageContaining("unknown ce_type");
    }

    @Test
    void aMissingTenantIsRejected() {
        ProducerRecord<String, byte[]> record = valid(Examples.ack());
        record.headers().remove("ce_tenantid");

        assertThatThrownBy(() -> EventEnvelope.fromRecord(consumed(record)))
                .isInstanceOf(InvalidEventException.class).hasMessageContaining("ce_tenantid");
    }

    @Test
    void aMissingRequiredAttributeIsRejected() {
        ProducerRecord<String, byte[]> record = valid(Examples.ack());
        record.headers().remove("ce_source");

        assertThatThrownBy(() -> EventEnvelope.fromRecord(consumed(record)))
                .isInstanceOf(InvalidEventException.class);
    }

    @Test
    void aMalformedTimeIsRejected() {
        ProducerRecord<String, byte[]> record = valid(Examples.ack());
        replace(record.headers(), "ce_time", "yesterday");

        assertThatThrownBy(() -> EventEnvelope.fromRecord(consumed(record)))
                .isInstanceOf(InvalidEventException.class);
    }

    @Test
    void aSourceThatIsNoUriIsRejected() {
        ProducerRecord<String, byte[]> record = valid(Examples.ack());
        replace(record.headers(), "ce_source", "not a uri");

        assertThatThrownBy(() -> EventEnvelope.fromRecord(consumed(record)))
                .isInstanceOf(InvalidEventException.class);
    }

    @Test
    void envelopesCompareByValueIncludingTheirData() {
        EventEnvelope one = codec.envelope("evt-1", "/services/test", Examples.TENANT, Examples.key(),
                Examples.ack());
        EventEnvelope copy = withData(one, one.data().clone());

        assertThat(copy).isEqualTo(one).hasSameHashCodeAs(one);
        assertThat(withData(one, new byte[] {'{', '}'})).isNotEqualTo(one);
    }

    @Test
    void aMissingRequiredPayloadFieldIsRejected() throws Exception {
        ObjectNode json = (ObjectNode) codec.mapper().readTree(codec.encode(Examples.command()));
        json.remove("commandId");
        EventEnvelope envelope = withData(codec.envelope("/services/test", Examples.TENANT, Examples.key(),
                Examples.command()), codec.mapper().writeValueAsBytes(json));
        EventEnvelope received = EventEnvelope.fromRecord(consumed(envelope.toRecord(Topics.COMMAND)));

        assertThatThrownBy(() -> codec.decode(received, PrivacyCommand.class))
                .isInstanceOf(InvalidEventException.class).hasMessageContaining("'commandId'");
    }

    @Test
    void aMissingNestedRequiredFieldIsRejected() throws Exception {
        ObjectNode json = (ObjectNode) codec.mapper().readTree(codec.encode(Examples.command()));
        ((ObjectNode) json.get("subject")).remove("subjectId");
        EventEnvelope envelope = withData(codec.envelope("/services/test", Examples.TENANT, Examples.key(),
                Examples.command()), codec.mapper().writeValueAsBytes(json));

        assertThatThrownBy(() -> codec.decode(envelope))
                .isInstanceOf(InvalidEventException.class).hasMessageContaining("subject.subjectId");
    }

    @ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.CsvSource({ "consentChanged,gpc", "tenantSettings,trusted",
            "ack,records", "command,attempt" })
    void aMissingPrimitiveFieldIsRejectedRatherThanReadAsZeroOrFalse(String example, String field) throws Exception {
        Object payload = Examples.class.getMethod(example).invoke(null);
        ObjectNode json = (ObjectNode) codec.mapper().readTree(codec.encode(payload));
        json.remove(field);
        EventEnvelope envelope = withData(codec.envelope("/services/test", Examples.TENANT, Examples.key(), payload),
                codec.mapper().writeValueAsBytes(json));

        assertThatThrownBy(() -> codec.decode(envelope))
                .isInstanceOf(InvalidEventException.class).hasMessageContaining(field);
    }

    @Test
    void invalidJsonIsRejected() {
        EventEnvelope envelope = withData(codec.envelope("/services/test", Examples.TENANT, Examples.key(),
                Examples.command()), "{\"commandId\": ".getBytes(StandardCharsets.UTF_8));

        assertThatThrownBy(() -> codec.decode(envelope)).isInstanceOf(InvalidEventException.class);
    }

    @Test
    void aPayloadOfAnotherTypeIsRejected() {
        EventEnvelope envelope = codec.envelope("/services/test", Examples.TENANT, Examples.key(), Examples.ack());

        assertThatThrownBy(() -> codec.decode(envelope, PrivacyCommand.class))
                .isInstanceOf(InvalidEventException.class).hasMessageContaining(EventType.COMMAND.type());
    }

    @Test
    void anOversizePayloadIsRejectedWhenEncodingAndWhenReading() {
        Notification huge = new Notification("n-1", Examples.TENANT, Notification.SLA_ALERT, null, null, null,
                Map.of("blob", "x".repeat(EventCodec.MAX_PAYLOAD_BYTES)), Examples.NOW);
        assertThatThrownBy(() -> codec.encode(huge))
                .isInstanceOf(InvalidEventException.class).hasMessageContaining("exceeds");

        EventEnvelope envelope = withData(codec.envelope("/services/test", Examples.TENANT, Examples.key(),
                Examples.notification()), new byte[EventCodec.MAX_PAYLOAD_BYTES + 1]);
        assertThatThrownBy(() -> EventEnvelope.fromRecord(consumed(envelope.toRecord(Topics.NOTIFICATION))))
                .isInstanceOf(InvalidEventException.class).hasMessageContaining("exceeds");
        assertThatThrownBy(() -> codec.decode(envelope))
                .isInstanceOf(InvalidEventException.class).hasMessageContaining("exceeds");
    }

    @Test
    void aRecordThatIsNoCloudEventIsRejected() {
        ConsumerRecord<String, byte[]> plain = new ConsumerRecord<>(Topics.COMMAND, 0, 42L, "key",
                "{\"hello\":\"world\"}".getBytes(StandardCharsets.UTF_8));

        assertThatThrownBy(() -> EventEnvelope.fromRecord(plain))
                .isInstanceOf(InvalidEventException.class).hasMessageContaining("not a CloudEvent");
    }

    @Test
    void aStructuredModeRecordIsRejected() {
        Headers headers = new RecordHeaders();
        headers.add("content-type", "application/cloudevents+json".getBytes(StandardCharsets.UTF_8));
        ConsumerRecord<String, byte[]> structured = new ConsumerRecord<>(Topics.COMMAND, 0, 42L,
                ConsumerRecord.NO_TIMESTAMP, TimestampType.NO_TIMESTAMP_TYPE, -1, -1, "key",
                "{\"specversion\":\"1.0\"}".getBytes(StandardCharsets.UTF_8), headers, Optional.empty());

        assertThatThrownBy(() -> EventEnvelope.fromRecord(structured)).isInstanceOf(InvalidEventException.class);
    }

    @Test
    void aTombstoneIsRejected() {
        ConsumerRecord<String, byte[]> tombstone = new ConsumerRecord<>(Topics.TENANT_SETTINGS, 0, 7L, "acme", null);

        assertThatThrownBy(() -> EventEnvelope.fromRecord(tombstone))
                .isInstanceOf(InvalidEventException.class).hasMessageContaining("tombstone");
    }

    @Test
    void unknownFieldsAreIgnored() throws Exception {
        ObjectNode json = (ObjectNode) codec.mapper().readTree(codec.encode(Examples.tenantSettings()));
        json.put("introducedLater", "some value");
        json.putObject("nested").put("deeper", 1);
        EventEnvelope envelope = withData(codec.envelope("/services/test", Examples.TENANT, Examples.TENANT,
                Examples.tenantSettings()), codec.mapper().writeValueAsBytes(json));

        assertThat(codec.decode(envelope, TenantSettings.class)).isEqualTo(Examples.tenantSettings());
    }

    @Test
    void nullFieldsAreLeftOutOfTheJson() throws Exception {
        CommandAck ack = Examples.ack();

        assertThat(codec.mapper().readTree(codec.encode(ack)).has("detail")).isFalse();
        assertThat(codec.mapper().readTree(codec.encode(ack)).get("completedAt").asText())
                .isEqualTo("2025-05-01T10:15:34Z");
    }

    @Test
    void theEnvelopeNeverPrintsItsData() {
        EventEnvelope envelope = codec.envelope("/services/test", Examples.TENANT, Examples.key(),
                Examples.notification());

        assertThat(envelope.toString()).doesNotContain("jane.doe").doesNotContain(Examples.SUBJECT);
    }

    static ConsumerRecord<String, byte[]> consumed(ProducerRecord<String, byte[]> record) {
        return new ConsumerRecord<>(record.topic(), 0, 0L, ConsumerRecord.NO_TIMESTAMP,
                TimestampType.NO_TIMESTAMP_TYPE, -1, -1, record.key(), record.value(), record.headers(),
                Optional.empty());
    }

    private ProducerRecord<String, byte[]> valid(Object payload) {
        return codec.envelope("/services/test", Examples.TENANT, Examples.keyOf(payload), payload)
                .toRecord(EventType.ofPayload(payload.getClass()).topic());
    }

    private static EventEnvelope withData(EventEnvelope envelope, byte[] data) {
        return new EventEnvelope(envelope.id(), envelope.source(), envelope.type(), envelope.time(),
                envelope.subject(), envelope.tenantId(), envelope.key(), data);
    }

    private static void replace(Headers headers, String key, String value) {
        headers.remove(key);
        headers.add(key, value.getBytes(StandardCharsets.UTF_8));
    }

    private static String text(Headers headers, String key) {
        Header header = headers.lastHeader(key);
        assertThat(header).as("header %s", key).isNotNull();
        return new String(header.value(), StandardCharsets.UTF_8);
    }
}
