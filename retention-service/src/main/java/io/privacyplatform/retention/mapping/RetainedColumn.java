package io.privacyplatform.retention.mapping;

import java.util.List;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.privacyplatform.events.payload.Retained;
import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;

/** What a store retained, stored as the JSON array it was acked as: {@code [{category, basis, form}]}. */
@Converter
public class RetainedColumn implements AttributeConverter<List<Retained>, String> {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<List<Retained>> LIST = new TypeReference<>() {
    };

    @Override
    public String convertToDatabaseColumn(List<Retained> retained) {
        try {
            return JSON.writeValueAsString(retained == null ? List.of() : retained);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write retained data", e);
        }
    }

    @Override
    public List<Retained> convertToEntityAttribute(String json) {
        try {
            return json == null ? List.of() : List.copyOf(JSON.readValue(json, LIST));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored retained data unreadable", e);
        }
    }
}
