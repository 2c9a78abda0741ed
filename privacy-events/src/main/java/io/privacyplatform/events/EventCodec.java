package io.privacyplatform.events;

import java.io.IOException;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/**
 * JSON for event payloads and the envelope around them. Readers are tolerant of fields they do not know (so a
 * producer can add optional fields without breaking consumers) and strict about fields a payload requires.
 */
public final class EventCodec {

    /** Stays below Kafka's default 1 MiB message size with room for headers. */
    public static final int MAX_PAYLOAD_BYTES = 900 * 1024;

    private final ObjectMapper mapper;
    private final Clock clock;

    public EventCodec() {
        this(Clock.systemUTC());
    }

    public EventCodec(Clock clock) {
        this.clock = clock;
        this.mapper = JsonMapper.builder()
                .addModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .serializationInclusion(JsonInclude.Include.NON_NULL)
                .build();
    }

    public ObjectMapper mapper() {
        return mapper;
    }

    public byte[] encode(Object payload) {
        EventType.ofPayload(payload.getClass());
        try {
            byte[] json = mapper.writeValueAsBytes(payload);
            if (json.length > MAX_PAYLOAD_BYTES) {
                throw new InvalidEventException(
                        "payload of " + json.length + " bytes exceeds the limit of " + MAX_PAYLOAD_BYTES);
            }
            return json;
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write " + payload.getClass().getSimpleName(), e);
        }
    }

    /** A new envelope with a random event id. */
    public EventEnvelope envelope(String source, String tenantId, String key, Object payload) {
        return envelope(UUID.randomUUID().toString(), source, tenantId, key, payload);
    }

    public EventEnvelope envelope(String eventId, String source, String tenantId, String key, Object payload) {
        EventType type = EventType.ofPayload(payload.getClass());
        return new EventEnvelope(eventId, source, type.type(), OffsetDateTime.now(clock).withOffsetSameInstant(
                ZoneOffset.UTC), key, tenantId, key, encode(payload));
    }

    /**
     * The payload, as the record its {@code ce_type} names.
     *
     * @throws InvalidEventException the payload is invalid, too large, or names another tenant than {@code ce_tenantid}
     */
    public Object decode(EventEnvelope envelope) {
        return read(envelope, envelope.eventType().payloadType());
    }

    /**
     * The payload as {@code expected}; an envelope of another type is rejected.
     *
     * @throws InvalidEventException the type differs, the payload is invalid or too large, or it names another tenant
     *         than {@code ce_tenantid}
     */
    public <T> T decode(EventEnvelope envelope, Class<T> expected) {
        EventType type = envelope.eventType();
        if (!type.payloadType().equals(expected)) {
            throw new InvalidEventException(
                    "expected " + EventType.ofPayload(expected).type() + " but got " + envelope.type());
        }
        return read(envelope, expected);
    }

    private <T> T read(EventEnvelope envelope, Class<T> type) {
        if (envelope.data().length > MAX_PAYLOAD_BYTES) {
            throw new InvalidEventException("payload exceeds the limit of " + MAX_PAYLOAD_BYTES + " bytes");
        }
        try {
            T value = mapper.readValue(envelope.data(), type);
            if (value == null) {
                throw new InvalidEventException("payload of " + envelope.id() + " is null");
            }
            if (value instanceof TenantScoped scoped && !envelope.tenantId().equals(scoped.tenantId())) {
                // Checked here, where every consumer decodes, so no consumer can forget it (see TenantScoped).
                throw new InvalidEventException("payload tenant " + scoped.tenantId() + " differs from ce_tenantid "
                        + envelope.tenantId() + " in event " + envelope.id());
            }
            return value;
        } catch (IOException e) {
            // Jackson wraps the payload records' own invariant checks; their message names the field.
            Throwable cause = e.getCause() instanceof IllegalArgumentException ? e.getCause() : e;
            throw new InvalidEventException("invalid " + envelope.type() + " payload in event " + envelope.id()
                    + ": " + cause.getMessage(), e);
        }
    }
}
