package io.privacyplatform.request;

import java.time.Instant;

/**
 * A rights request changed its status: fired (synchronously, inside the transaction of the change) by the request
 * lifecycle, so what follows from it commits or rolls back with the change itself.
 */
public record RequestStatusChanged(RightsRequest request, RequestStatus from, RequestStatus to, Instant at) {
}
