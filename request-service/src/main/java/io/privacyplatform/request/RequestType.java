package io.privacyplatform.request;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** The data subject's rights (GDPR Art. 13-22), as they appear on the API and on the topic. */
public enum RequestType {
    INFORMATION, ACCESS, RECTIFICATION, ERASURE, RESTRICTION, PORTABILITY, OBJECTION, AUTOMATED_DECISION_REVIEW;

    public String wire() {
        return name().toLowerCase();
    }

    /** Types whose answer is the data the stores hold: they have an export. */
    public boolean exportsData() {
        return this == ACCESS || this == PORTABILITY || this == INFORMATION;
    }

    public static Optional<RequestType> fromWire(String value) {
        return Arrays.stream(values()).filter(t -> t.wire().equals(value)).findFirst();
    }

    public static List<String> wireValues() {
        return Arrays.stream(values()).map(RequestType::wire).toList();
    }
}
