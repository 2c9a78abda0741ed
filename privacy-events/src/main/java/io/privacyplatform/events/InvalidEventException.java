package io.privacyplatform.events;

/**
 * A record on a privacy topic that cannot be accepted: unknown type, missing attribute or field, or too large.
 * Consumers treat it as poison and send it to the dead-letter topic rather than retrying it.
 */
public class InvalidEventException extends RuntimeException {

    public InvalidEventException(String message) {
        super(message);
    }

    public InvalidEventException(String message, Throwable cause) {
        super(message, cause);
    }
}
