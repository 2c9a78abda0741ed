package io.privacyplatform.support.health;

/** What the last sample found out about the Kafka broker. */
public enum BrokerState {
    /** No sample has run yet. */
    NOT_CHECKED,
    REACHABLE,
    UNREACHABLE;

    public String wireValue() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
}
