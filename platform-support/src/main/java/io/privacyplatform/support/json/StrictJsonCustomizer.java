package io.privacyplatform.support.json;

import java.io.IOException;
import java.time.Instant;

import jakarta.inject.Singleton;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.KeyDeserializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.deser.std.StringDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.type.LogicalType;

import io.privacyplatform.support.time.AcceptedInstants;
import io.quarkus.jackson.ObjectMapperCustomizer;

/**
 * Request bodies are read strictly: a misspelt field, a null for a number, a key given twice, a value of another
 * type than declared (a number for a string, {@code 1} or {@code "true"} for a boolean, {@code 1.5} for an integer),
 * a NUL character (PostgreSQL cannot store it) or a date outside {@link AcceptedInstants} is a 400 naming the field,
 * never a silently coerced value and never a database error.
 */
@Singleton
public class StrictJsonCustomizer implements ObjectMapperCustomizer {

    public static final String NUL_PROBLEM = "must not contain the NUL character";

    /** Applied last, so that these deserializers win over the ones Quarkus registers (JavaTimeModule's Instant). */
    @Override
    public int priority() {
        return MINIMUM_PRIORITY;
    }

    @Override
    public void customize(ObjectMapper mapper) {
        mapper.enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        mapper.enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
        mapper.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        mapper.enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS);
        mapper.disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT);
        mapper.disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE);
        // {"a":1,"a":2}: which one counts differs between parsers, so neither does.
        mapper.getFactory().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION.mappedFeature());

        mapper.coercionConfigFor(LogicalType.Textual)
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
        mapper.coercionConfigFor(LogicalType.Boolean)
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.String, CoercionAction.Fail);
        mapper.coercionConfigFor(LogicalType.Integer)
                .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
        mapper.coercionConfigFor(LogicalType.Float)
                .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);

        SimpleModule strict = new SimpleModule("privacy-platform-strict-input");
        strict.addDeserializer(String.class, new NulFreeStringDeserializer());
        strict.addKeyDeserializer(String.class, new NulFreeKeyDeserializer());
        strict.addDeserializer(Instant.class, new AcceptedInstantDeserializer());
        mapper.registerModule(strict);
    }

    /** Strings as Jackson reads them, without NUL. */
    static final class NulFreeStringDeserializer extends StringDeserializer {

        @Override
        public String deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            String value = super.deserialize(p, ctxt);
            if (value != null && value.indexOf('\0') >= 0) {
                throw ctxt.weirdStringException(value, String.class, NUL_PROBLEM);
            }
            return value;
        }
    }

    static final class NulFreeKeyDeserializer extends KeyDeserializer {

        @Override
        public Object deserializeKey(String key, DeserializationContext ctxt) throws IOException {
            if (key.indexOf('\0') >= 0) {
                throw ctxt.weirdKeyException(String.class, key, NUL_PROBLEM);
            }
            return key;
        }
    }

    /**
     * Only a JSON string in ISO-8601 within {@link AcceptedInstants}: no epoch numbers ({@code 1e309} would be
     * "infinite seconds"), no trimming of trailing control characters, no year 300000.
     */
    static final class AcceptedInstantDeserializer extends StdScalarDeserializer<Instant> {

        AcceptedInstantDeserializer() {
            super(Instant.class);
        }

        @Override
        public Instant deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            if (!p.hasToken(JsonToken.VALUE_STRING)) {
                return (Instant) ctxt.handleUnexpectedToken(Instant.class, p);
            }
            String text = p.getText();
            return AcceptedInstants.parse(text)
                    .orElseThrow(() -> ctxt.weirdStringException(text, Instant.class, AcceptedInstants.PROBLEM));
        }
    }
}
