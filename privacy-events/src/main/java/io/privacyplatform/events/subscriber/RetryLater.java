package io.privacyplatform.events.subscriber;

/**
 * Looking up, handling, publishing or remembering failed in a way that may pass: the subscriber takes the record
 * again after its backoff instead of skipping it.
 */
final class RetryLater extends Exception {

    private static final long serialVersionUID = 1L;

    RetryLater(String message, Throwable cause) {
        super(message, cause, false, false);
    }
}
