package io.privacyplatform.support.inbox;

/**
 * A valid event could not be processed before the application stopped. It is not the event's fault: the platform's
 * failure strategy ({@link DeferringDeadLetterQueue}) neither dead-letters nor acknowledges the record, so its
 * offset stays uncommitted and the next consumer of the partition receives it again.
 */
public class EventDeferredException extends RuntimeException {

    public EventDeferredException(String message, Throwable cause) {
        super(message, cause);
    }
}
