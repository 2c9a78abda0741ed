package io.privacyplatform.retention.mapping;

import io.privacyplatform.retention.CommandState;
import io.privacyplatform.retention.DeferredState;
import io.privacyplatform.retention.ProgressState;
import io.privacyplatform.retention.RunTrigger;
import io.privacyplatform.support.mapping.WireValueColumn;
import jakarta.persistence.Converter;

/** Stores the state enums by their wire value ({@code in_progress}), the same text the API and the topics use. */
public final class WireConverters {

    private WireConverters() {
    }

    @Converter
    public static class CommandStateColumn extends WireValueColumn<CommandState> {
        public CommandStateColumn() {
            super(CommandState.class);
        }
    }

    @Converter
    public static class ProgressStateColumn extends WireValueColumn<ProgressState> {
        public ProgressStateColumn() {
            super(ProgressState.class);
        }
    }

    @Converter
    public static class RunTriggerColumn extends WireValueColumn<RunTrigger> {
        public RunTriggerColumn() {
            super(RunTrigger.class);
        }
    }

    @Converter
    public static class DeferredStateColumn extends WireValueColumn<DeferredState> {
        public DeferredStateColumn() {
            super(DeferredState.class);
        }
    }
}
