package io.privacyplatform.consent;

/** What a person decided about one purpose. */
public enum Decision implements WireValue {
    GRANTED, WITHDRAWN, DENIED
}
