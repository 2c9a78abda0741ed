package io.privacyplatform.retention;

import java.util.EnumSet;
import java.util.Set;

import io.privacyplatform.support.mapping.WireValue;

/** Where one command to one system stands; stored and shown as its lower-case name ({@code sent}). */
public enum CommandState implements WireValue {
    /** Sent, waiting for the ack. */
    SENT,
    /** The system answered FAILED; re-sent at {@code nextAttemptAt}. */
    RETRY,
    /** DONE or NOT_FOUND. */
    DONE,
    /** Not carried out because data must be kept (a legal hold here, or the system's own reason). */
    HELD,
    /** No usable answer after every attempt; an operator may redrive it, and a late ack still finishes it. */
    STUCK,
    /**
     * Not sent: the request lacks an identifier the system needs ({@code missingIdentifiers}). Sent when an operator
     * adds it; until then the system was not searched.
     */
    ACTION_REQUIRED;

    /** No final answer yet: the system stays on the data map while it has such commands. */
    public static final Set<CommandState> OPEN = EnumSet.of(SENT, RETRY, STUCK, ACTION_REQUIRED);

    /** Finished commands take no more acks: a repeated or late answer changes nothing. */
    public boolean finished() {
        return this == DONE || this == HELD;
    }
}
