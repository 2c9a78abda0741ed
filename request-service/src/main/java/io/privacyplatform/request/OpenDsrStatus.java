package io.privacyplatform.request;

import io.privacyplatform.support.mapping.WireValue;

/**
 * The four statuses of OpenDSR 2.0 (section 8). The platform knows more; what it tells a controller's tool must never
 * promise more than happened: only a completed rights request is {@code completed}.
 */
public enum OpenDsrStatus implements WireValue {
    PENDING, IN_PROGRESS, COMPLETED, CANCELLED;

    public static OpenDsrStatus of(RequestStatus status) {
        return switch (status) {
            // Received, not yet acted on: the stores have not been asked.
            case IDENTITY_UNVERIFIED, RECEIVED_FROM_PROCESSOR, VERIFIED -> PENDING;
            // action_required is still open work (an operator must act), not a result.
            case IN_PROGRESS, ACTION_REQUIRED -> IN_PROGRESS;
            case COMPLETED -> COMPLETED;
            // OpenDSR has no status for a request closed without fulfilment: denied and failed end it like a
            // cancellation does; claiming "completed" would tell the controller the data was handled.
            case CANCELLED, DENIED, FAILED, REDIRECTED -> CANCELLED;
        };
    }
}
