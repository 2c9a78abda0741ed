package io.privacyplatform.events;

import java.io.IOException;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import io.privacyplatform.events.keys.DataKey;
import io.privacyplatform.events.keys.SubjectErasedException;
import io.privacyplatform.events.keys.SubjectKeys;
import io.privacyplatform.events.keys.SubjectSeal;

/**
 * JSON for event payloads and the envelope around them. Readers are tolerant of fields they do not know (so a
 * producer can add optional fields without breaking consumers) and strict about fields a payload requires.
 * <p>
 * <b>Sealed personal fields.</b> A codec with a key store ({@link SubjectKeys}) seals the {@link PersonalFields} of
 * every event about a subject (keyed by its pseudonym, not by the tenant id) with the subject's data key, and names
 * the key in the envelope ({@code ce_subjectkeyid}); {@link #decode} opens them again, so producers and consumers
 * see the payload records as they are. This is the one place where events are sealed and opened: every service
 * writes through the outbox and reads through the inbox, every store through the kit, all of them through here.
 * An event without a key id is read in clear, as events were before sealing.
 */
public final class EventCodec {

    /** Stays below Kafka's default 1 MiB message size with room for headers. */
    public static final int MAX_PAYLOAD_BYTES = 900 * 1024;

    private final ObjectMapper mapper;
    private final Clock clock;
    private final SubjectKeys keys;

    /** A codec that seals nothing (and cannot open sealed events). */
    public EventCodec() {
        this(Clock.systemUTC());
    }

    public EventCodec(Clock clock) {
        this(clock, null);
    }

    /** @param keys the key store personal fields are sealed with and opened from; null: seal nothing */
    public EventCodec(Clock clock, SubjectKeys keys) {
        this.clock = clock;
        this.keys = keys;
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

    /** Whether this codec seals personal fields (it has a key store). */
    public boolean seals() {
        return keys != null;
    }

    /** The payload in clear, as JSON (the form it has inside this service, and on the wire when nothing is sealed). */
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

    /**
     * An envelope of {@code payload}; its personal fields sealed with the subject's data key when this codec seals,
     * the event is about a subject ({@code key} is not the tenant id) and it carries any.
     *
     * @throws InvalidEventException the payload (sealed, if it is) exceeds {@link #MAX_PAYLOAD_BYTES}
     */
    public EventEnvelope envelope(String eventId, String source, String tenantId, String key, Object payload) {
        EventType type = EventType.ofPayload(payload.getClass());
        OffsetDateTime time = OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
        ObjectNode tree = keys == null || key == null || key.equals(tenantId) ? null : mapper.valueToTree(payload);
        List<String> personal = tree == null ? List.of() : present(type, tree);
        if (personal.isEmpty()) {
            return new EventEnvelope(eventId, source, type.type(), time, key, tenantId, key, encode(payload));
        }
        DataKey dataKey = keys.forEncryption(tenantId, key);
        for (String field : personal) {
            tree.put(field, SubjectSeal.seal(dataKey, write(tree.get(field)),
                    sealContext(eventId, type, dataKey.keyId(), field)));
        }
        byte[] json = write(tree);
        requireWithinLimit(json.length);
        return new EventEnvelope(eventId, source, type.type(), time, key, tenantId, key, json, dataKey.keyId());
    }

    /**
     * How many bytes {@code payload} takes on the wire from this codec when it is about a subject: its personal
     * fields sealed if this codec seals (a sealed field's length depends on its clear length only).
     *
     * @throws InvalidEventException it would exceed {@link #MAX_PAYLOAD_BYTES}
     */
    public int encodedSize(Object payload) {
        byte[] clear = encode(payload);
        if (keys == null) {
            return clear.length;
        }
        ObjectNode tree = mapper.valueToTree(payload);
        int size = clear.length;
        for (String field : present(EventType.ofPayload(payload.getClass()), tree)) {
            int fieldBytes = write(tree.get(field)).length;
            size += fieldSize(fieldBytes) - fieldBytes;
        }
        requireWithinLimit(size);
        return size;
    }

    /** The bytes a personal field whose JSON takes {@code clearBytes} takes on the wire from this codec. */
    public int fieldSize(int clearBytes) {
        return keys == null ? clearBytes : SubjectSeal.sealedLength(clearBytes) + 2; // a JSON string: two quotes
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
            T value = envelope.isSealed() ? mapper.treeToValue(opened(envelope), type)
                    : mapper.readValue(envelope.data(), type);
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

    /**
     * The payload of a sealed event with its personal fields opened.
     *
     * @throws SubjectErasedException the subject's key is destroyed: the event's personal data is erased
     * @throws InvalidEventException a personal field is not sealed, or does not open (altered, or moved)
     * @throws IllegalStateException this codec has no key store (a configuration fault, not the event's)
     */
    private JsonNode opened(EventEnvelope envelope) throws IOException {
        if (keys == null) {
            throw new IllegalStateException("event " + envelope.id() + " has sealed personal fields (key "
                    + envelope.keyId() + ") and this reader has no key store to open them");
        }
        if (!(mapper.readTree(envelope.data()) instanceof ObjectNode tree)) {
            throw new InvalidEventException("payload of " + envelope.id() + " is not a JSON object");
        }
        EventType type = envelope.eventType();
        List<String> personal = present(type, tree);
        if (personal.isEmpty()) {
            return tree;
        }
        DataKey dataKey = keys.forDecryption(envelope.keyId());
        for (String field : personal) {
            JsonNode value = tree.get(field);
            if (!value.isTextual() || !SubjectSeal.isSealed(value.textValue())) {
                throw new InvalidEventException("field '" + field + "' of sealed event " + envelope.id()
                        + " is not sealed");
            }
            tree.set(field, mapper.readTree(SubjectSeal.open(dataKey, value.textValue(),
                    sealContext(envelope.id(), type, dataKey.keyId(), field))));
        }
        return tree;
    }

    /** GCM's associated data of one sealed field: a sealed value opens only in its event, type, key and field. */
    private static String sealContext(String eventId, EventType type, String keyId, String field) {
        return eventId + "\n" + type.type() + "\n" + keyId + "\n" + field;
    }

    private static List<String> present(EventType type, JsonNode tree) {
        return PersonalFields.of(type).stream().filter(tree::hasNonNull).toList();
    }

    private byte[] write(JsonNode node) {
        try {
            return mapper.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write a payload field", e);
        }
    }

    private static void requireWithinLimit(int bytes) {
        if (bytes > MAX_PAYLOAD_BYTES) {
            throw new InvalidEventException("payload of " + bytes + " bytes exceeds the limit of "
                    + MAX_PAYLOAD_BYTES);
        }
    }
}
