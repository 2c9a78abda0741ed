package io.privacyplatform.request;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

class RequestStatusTest {

    /** The lifecycle, written out: every pair not listed is refused. */
    private static final Map<RequestStatus, Set<RequestStatus>> ALLOWED = Map.of(
            RequestStatus.IDENTITY_UNVERIFIED, EnumSet.of(RequestStatus.VERIFIED, RequestStatus.DENIED,
                    RequestStatus.CANCELLED),
            RequestStatus.RECEIVED_FROM_PROCESSOR, EnumSet.of(RequestStatus.VERIFIED, RequestStatus.DENIED,
                    RequestStatus.CANCELLED),
            RequestStatus.VERIFIED, EnumSet.of(RequestStatus.IN_PROGRESS, RequestStatus.ACTION_REQUIRED,
                    RequestStatus.COMPLETED, RequestStatus.FAILED, RequestStatus.DENIED, RequestStatus.CANCELLED),
            RequestStatus.IN_PROGRESS, EnumSet.of(RequestStatus.ACTION_REQUIRED, RequestStatus.COMPLETED,
                    RequestStatus.FAILED, RequestStatus.DENIED, RequestStatus.CANCELLED),
            RequestStatus.ACTION_REQUIRED, EnumSet.of(RequestStatus.IN_PROGRESS, RequestStatus.COMPLETED,
                    RequestStatus.FAILED, RequestStatus.DENIED, RequestStatus.CANCELLED),
            RequestStatus.COMPLETED, EnumSet.noneOf(RequestStatus.class),
            RequestStatus.FAILED, EnumSet.noneOf(RequestStatus.class),
            RequestStatus.DENIED, EnumSet.noneOf(RequestStatus.class),
            RequestStatus.CANCELLED, EnumSet.noneOf(RequestStatus.class),
            RequestStatus.REDIRECTED, EnumSet.noneOf(RequestStatus.class));

    @Test
    void shouldAllowExactlyTheLifecycleTransitions() {
        for (RequestStatus from : RequestStatus.values()) {
            for (RequestStatus to : RequestStatus.values()) {
                assertThat(from.mayMoveTo(to)).as("%s -> %s", from, to).isEqualTo(ALLOWED.get(from).contains(to));
            }
        }
    }

    @Test
    void shouldCountOnlyUnfinishedRequestsAsOpen() {
        assertThat(RequestStatus.OPEN).containsExactlyInAnyOrder(RequestStatus.IDENTITY_UNVERIFIED,
                RequestStatus.RECEIVED_FROM_PROCESSOR, RequestStatus.VERIFIED, RequestStatus.IN_PROGRESS,
                RequestStatus.ACTION_REQUIRED);
    }
}
