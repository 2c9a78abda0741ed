package io.privacyplatform.request.mapping;

import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;

import io.privacyplatform.request.RequestStatus;
import io.privacyplatform.request.RequestType;

/** Stores enums by their wire value ({@code in_progress}), the same text the API and the topic use. */
public final class WireConverters {

    private WireConverters() {
    }

    @Converter
    public static class StatusColumn implements AttributeConverter<RequestStatus, String> {
        @Override
        public String convertToDatabaseColumn(RequestStatus status) {
            return status == null ? null : status.wire();
        }

        @Override
        public RequestStatus convertToEntityAttribute(String value) {
            return value == null ? null : RequestStatus.fromWire(value).orElseThrow();
        }
    }

    @Converter
    public static class TypeColumn implements AttributeConverter<RequestType, String> {
        @Override
        public String convertToDatabaseColumn(RequestType type) {
            return type == null ? null : type.wire();
        }

        @Override
        public RequestType convertToEntityAttribute(String value) {
            return value == null ? null : RequestType.fromWire(value).orElseThrow();
        }
    }
}
