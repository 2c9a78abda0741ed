package io.privacyplatform.retention.mapping;

import java.util.Arrays;
import java.util.Locale;

import io.privacyplatform.retention.CommandState;
import io.privacyplatform.retention.ProgressState;
import io.privacyplatform.retention.RunTrigger;
import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;

/** Stores enums by their lower-case name ({@code in_progress}), the same text the API and the topics use. */
public final class WireConverters {

    private WireConverters() {
    }

    abstract static class LowerCaseColumn<E extends Enum<E>> implements AttributeConverter<E, String> {

        private final Class<E> type;

        LowerCaseColumn(Class<E> type) {
            this.type = type;
        }

        @Override
        public String convertToDatabaseColumn(E value) {
            return value == null ? null : value.name().toLowerCase(Locale.ROOT);
        }

        @Override
        public E convertToEntityAttribute(String value) {
            return value == null ? null
                    : Arrays.stream(type.getEnumConstants())
                            .filter(e -> e.name().toLowerCase(Locale.ROOT).equals(value)).findFirst()
                            .orElseThrow(() -> new IllegalStateException("unknown " + type.getSimpleName() + " "
                                    + value));
        }
    }

    @Converter
    public static class CommandStateColumn extends LowerCaseColumn<CommandState> {
        public CommandStateColumn() {
            super(CommandState.class);
        }
    }

    @Converter
    public static class ProgressStateColumn extends LowerCaseColumn<ProgressState> {
        public ProgressStateColumn() {
            super(ProgressState.class);
        }
    }

    @Converter
    public static class RunTriggerColumn extends LowerCaseColumn<RunTrigger> {
        public RunTriggerColumn() {
            super(RunTrigger.class);
        }
    }
}
