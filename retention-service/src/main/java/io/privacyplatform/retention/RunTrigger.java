package io.privacyplatform.retention;

import java.util.Locale;

/** What started a policy run; stored and shown as its lower-case name. */
public enum RunTrigger {
    SCHEDULE, MANUAL;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }
}
