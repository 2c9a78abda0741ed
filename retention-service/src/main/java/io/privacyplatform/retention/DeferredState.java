package io.privacyplatform.retention;

import io.privacyplatform.support.mapping.WireValue;

/** Where a category a legal hold kept from an erasure stands; stored as its lower-case name ({@code waiting}). */
public enum DeferredState implements WireValue {
    /** A hold still covers it (or the request has not completed yet). */
    WAITING,
    /** No hold covers it any more: its ERASE was issued as part of a release. */
    ISSUED,
    /** The deferred ERASE finished and the certificate was amended. */
    DONE;
}
