package io.privacyplatform.events.payload;

import java.util.List;

/**
 * The identifiers by which a system on the data map finds a subject's data, as it declares them. A request always
 * has the subject id; it has an e-mail address only when one was given (or an operator added it). A system is sent
 * a command only when the request has every identifier it declares.
 */
public final class Identifiers {

    public static final String SUBJECT_ID = "subjectId";
    public static final String EMAIL = "email";
    public static final List<String> ALL = List.of(SUBJECT_ID, EMAIL);

    private Identifiers() {
    }

    public static boolean isKnown(String identifier) {
        return ALL.contains(identifier);
    }
}
