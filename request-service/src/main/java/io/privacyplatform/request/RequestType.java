package io.privacyplatform.request;

import java.util.List;
import java.util.Optional;

import io.privacyplatform.support.mapping.WireValue;

/** The data subject's rights (GDPR Art. 13-22), as they appear on the API and on the topic. */
public enum RequestType implements WireValue {
    INFORMATION, ACCESS, RECTIFICATION, ERASURE, RESTRICTION, PORTABILITY, OBJECTION, AUTOMATED_DECISION_REVIEW;

    /** Types whose answer is the data the stores hold: they have an export. */
    public boolean exportsData() {
        return this == ACCESS || this == PORTABILITY || this == INFORMATION;
    }

    public static Optional<RequestType> fromWire(String value) {
        return WireValue.parse(RequestType.class, value);
    }

    public static List<String> wireValues() {
        return WireValue.allowed(RequestType.class);
    }
}
