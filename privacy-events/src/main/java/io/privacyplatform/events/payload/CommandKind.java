package io.privacyplatform.events.payload;

/** What a downstream store is asked to do with a subject's (or, for PURGE, everyone's) data. */
public enum CommandKind {
    ERASE, PURGE, EXPORT, RESTRICT, LIFT_RESTRICTION, RECTIFY
}
