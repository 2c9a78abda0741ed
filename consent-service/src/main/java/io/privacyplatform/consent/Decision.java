package io.privacyplatform.consent;

import io.privacyplatform.support.mapping.WireValue;

/** What a person decided about one purpose. */
public enum Decision implements WireValue {
    GRANTED, WITHDRAWN, DENIED
}
