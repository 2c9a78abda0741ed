package io.privacyplatform.retention;

import io.privacyplatform.support.mapping.WireValue;

/** What started a policy run; stored and shown as its lower-case name. */
public enum RunTrigger implements WireValue {
    SCHEDULE, MANUAL;
}
