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

    /**
     * Types no store can answer: a person must review the automated decision (Art. 22(3) GDPR), so the request
     * waits for an operator's resolution once verified, whatever the stores report.
     */
    public boolean needsOperatorReview() {
        return this == AUTOMATED_DECISION_REVIEW;
    }

    public static Optional<RequestType> fromWire(String value) {
        return WireValue.parse(RequestType.class, value);
    }

    public static List<String> wireValues() {
        return WireValue.allowed(RequestType.class);
    }
}
