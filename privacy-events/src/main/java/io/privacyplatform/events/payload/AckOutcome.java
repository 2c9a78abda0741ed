package io.privacyplatform.events.payload;

/** How a store finished a command. DONE and NOT_FOUND are final; FAILED is retried; HELD carries the reason. */
public enum AckOutcome {
    DONE, NOT_FOUND, FAILED, HELD;

    public boolean finished() {
        return this == DONE || this == NOT_FOUND;
    }
}
