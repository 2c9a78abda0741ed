package io.privacyplatform.request.mapping;

import jakarta.persistence.Converter;

import io.privacyplatform.request.BreachStatus;
import io.privacyplatform.request.OpenDsrCallbackState;
import io.privacyplatform.request.OpenDsrDialect;
import io.privacyplatform.request.OpenDsrStatus;
import io.privacyplatform.request.RequestStatus;
import io.privacyplatform.request.RequestType;
import io.privacyplatform.support.mapping.WireValueColumn;

/** Stores enums by their wire value ({@code in_progress}), the same text the API and the topic use. */
public final class WireConverters {

    private WireConverters() {
    }

    @Converter
    public static class StatusColumn extends WireValueColumn<RequestStatus> {
        public StatusColumn() {
            super(RequestStatus.class);
        }
    }

    @Converter
    public static class TypeColumn extends WireValueColumn<RequestType> {
        public TypeColumn() {
            super(RequestType.class);
        }
    }

    @Converter
    public static class BreachStatusColumn extends WireValueColumn<BreachStatus> {
        public BreachStatusColumn() {
            super(BreachStatus.class);
        }
    }

    @Converter
    public static class OpenDsrStatusColumn extends WireValueColumn<OpenDsrStatus> {
        public OpenDsrStatusColumn() {
            super(OpenDsrStatus.class);
        }
    }

    @Converter
    public static class OpenDsrDialectColumn extends WireValueColumn<OpenDsrDialect> {
        public OpenDsrDialectColumn() {
            super(OpenDsrDialect.class);
        }
    }

    @Converter
    public static class OpenDsrCallbackStateColumn extends WireValueColumn<OpenDsrCallbackState> {
        public OpenDsrCallbackStateColumn() {
            super(OpenDsrCallbackState.class);
        }
    }
}
