package io.privacyplatform.events.payload;

import io.privacyplatform.events.Require;

/** Whom a command is about; {@code email} is optional and only present where a store indexes by address. */
public record CommandSubject(String subjectId, String email) {

    public CommandSubject {
        Require.text(subjectId, "subject.subjectId");
    }
}
