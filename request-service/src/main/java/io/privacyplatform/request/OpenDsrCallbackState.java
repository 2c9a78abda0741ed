package io.privacyplatform.request;

import io.privacyplatform.support.mapping.WireValue;

/** Where one status callback stands in the durable outbox. */
public enum OpenDsrCallbackState implements WireValue {
    /** Not yet accepted by the controller's endpoint: the timer tries it (again) from {@code next_attempt_at}. */
    PENDING,
    /** The endpoint answered 2xx. */
    DELIVERED,
    /** Every attempt failed, or the URL may never be called (a private address): nothing more is tried. */
    GIVEN_UP
}
