package io.privacyplatform.events;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Objects;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;

import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.cloudevents.kafka.KafkaMessageFactory;

/**
 * One event as it travels: CloudEvents 1.0 attributes in binary mode (Kafka headers {@code ce_id}, {@code ce_source},
 * {@code ce_type}, {@code ce_specversion}, {@code ce_time}, {@code ce_subject}, {@code ce_tenantid} and
 * {@code content-type: application/json}) around a JSON payload, with the subject pseudonym as Kafka key.
 * The mapping to and from Kafka records is the CloudEvents SDK's, so any CloudEvents-aware consumer reads it too.
 * <p>
 * {@code keyId} ({@code ce_subjectkeyid}) names the subject's data key the payload's personal fields are sealed with
 * ({@link EventCodec}, {@link PersonalFields}); an event without it is entirely in clear (written before sealing, or
 * about no subject).
 */
public record EventEnvelope(String id, String source, String type, OffsetDateTime time, String subject,
        String tenantId, String key, byte[] data, String keyId) {

    public static final String TENANT_EXTENSION = "tenantid";
    /** CloudEvents extension attribute: the id of the data key the payload's personal fields are sealed with. */
    public static final String KEY_ID_EXTENSION = "subjectkeyid";
    public static final String CONTENT_TYPE = "application/json";

    public EventEnvelope {
        id = Require.text(id, "ce_id");
        source = Require.text(source, "ce_source");
        type = Require.text(type, "ce_type");
        Objects.requireNonNull(time, "ce_time");
        tenantId = Require.text(tenantId, "ce_tenantid");
        Objects.requireNonNull(data, "data");
        if (keyId != null) {
            keyId = Require.text(keyId, "ce_" + KEY_ID_EXTENSION);
        }
    }

    /** An event entirely in clear (no personal field sealed). */
    public EventEnvelope(String id, String source, String type, OffsetDateTime time, String subject, String tenantId,
            String key, byte[] data) {
        this(id, source, type, time, subject, tenantId, key, data, null);
    }

    /** Whether personal fields of the payload are sealed with a subject's data key ({@link #keyId()}). */
    public boolean isSealed() {
        return keyId != null;
    }

    public ProducerRecord<String, byte[]> toRecord(String topic) {
        CloudEventBuilder builder = CloudEventBuilder.v1()
                .withId(id)
                .withSource(URI.create(source))
                .withType(type)
                .withTime(time)
                .withExtension(TENANT_EXTENSION, tenantId)
                .withDataContentType(CONTENT_TYPE)
                .withData(data);
        if (subject != null) {
            builder.withSubject(subject);
        }
        if (keyId != null) {
            builder.withExtension(KEY_ID_EXTENSION, keyId);
        }
        return KafkaMessageFactory.<String>createWriter(topic, key).writeBinary(builder.build());
    }

    /**
     * Reads a record written by {@link #toRecord(String)} (or by any binary-mode CloudEvents producer).
     *
     * @throws InvalidEventException when the record is no CloudEvent, lacks a required attribute, has a type this
     *         platform does not know, or is larger than {@link EventCodec#MAX_PAYLOAD_BYTES}
     */
    public static EventEnvelope fromRecord(ConsumerRecord<String, byte[]> record) {
        if (record.value() == null) {
            throw new InvalidEventException("record has no value (tombstone) at " + position(record));
        }
        if (record.value().length > EventCodec.MAX_PAYLOAD_BYTES) {
            throw new InvalidEventException("payload of " + record.value().length + " bytes exceeds the limit of "
                    + EventCodec.MAX_PAYLOAD_BYTES + " at " + position(record));
        }
        CloudEvent event;
        try {
            event = KafkaMessageFactory.createReader(record).toEvent();
        } catch (RuntimeException e) {
            // Usually CloudEventRWException (missing or malformed attribute); whatever else the reader or the
            // builder's validation throws also means the record is no valid CloudEvent, never a reason to retry.
            throw new InvalidEventException("not a CloudEvent in binary mode at " + position(record) + ": "
                    + e.getMessage(), e);
        }
        EventType.fromType(event.getType());
        Object tenant = event.getExtension(TENANT_EXTENSION);
        Object keyId = event.getExtension(KEY_ID_EXTENSION);
        if (event.getTime() == null) {
            throw new InvalidEventException("missing ce_time at " + position(record));
        }
        if (tenant == null) {
            throw new InvalidEventException("missing ce_tenantid at " + position(record));
        }
        if (event.getData() == null) {
            throw new InvalidEventException("missing data at " + position(record));
        }
        try {
            return new EventEnvelope(event.getId(), event.getSource().toString(), event.getType(),
                    event.getTime().withOffsetSameInstant(ZoneOffset.UTC), event.getSubject(), tenant.toString(),
                    record.key(), event.getData().toBytes(), keyId == null ? null : keyId.toString());
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new InvalidEventException(e.getMessage() + " at " + position(record), e);
        }
    }

    public EventType eventType() {
        return EventType.fromType(type);
    }

    /** Value equality, including the data's bytes (a record compares arrays by identity). */
    @Override
    public boolean equals(Object other) {
        return other instanceof EventEnvelope that && id.equals(that.id) && source.equals(that.source)
                && type.equals(that.type) && time.equals(that.time) && Objects.equals(subject, that.subject)
                && tenantId.equals(that.tenantId) && Objects.equals(key, that.key) && Arrays.equals(data, that.data)
                && Objects.equals(keyId, that.keyId);
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, source, type, time, subject, tenantId, key, keyId) * 31 + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        // Never the data: it may hold personal data, and envelopes end up in log lines.
        return "EventEnvelope[id=" + id + ", type=" + type + ", tenant=" + tenantId + ", key=" + key + ", bytes="
                + data.length + (keyId == null ? "" : ", keyId=" + keyId) + "]";
    }

    /** For diagnostics only (the payload is JSON text). */
    public String dataAsText() {
        return new String(data, StandardCharsets.UTF_8);
    }

    private static String position(ConsumerRecord<?, ?> record) {
        return record.topic() + "-" + record.partition() + "@" + record.offset();
    }
}
