package io.privacyplatform.request;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;

import org.junit.jupiter.api.Test;

class OpenDsrStatusTest {

    @Test
    void shouldCallOnlyACompletedRequestCompleted() {
        assertThat(Arrays.stream(RequestStatus.values()).filter(s -> OpenDsrStatus.of(s) == OpenDsrStatus.COMPLETED))
                .containsExactly(RequestStatus.COMPLETED);
    }

    @Test
    void shouldMapEveryPlatformStatus() {
        assertThat(OpenDsrStatus.of(RequestStatus.IDENTITY_UNVERIFIED)).isEqualTo(OpenDsrStatus.PENDING);
        assertThat(OpenDsrStatus.of(RequestStatus.VERIFIED)).isEqualTo(OpenDsrStatus.PENDING);
        assertThat(OpenDsrStatus.of(RequestStatus.IN_PROGRESS)).isEqualTo(OpenDsrStatus.IN_PROGRESS);
        // An operator must act: still work in progress, not a result.
        assertThat(OpenDsrStatus.of(RequestStatus.ACTION_REQUIRED)).isEqualTo(OpenDsrStatus.IN_PROGRESS);
        // Closed without fulfilment: OpenDSR's only such status.
        assertThat(OpenDsrStatus.of(RequestStatus.DENIED)).isEqualTo(OpenDsrStatus.CANCELLED);
        assertThat(OpenDsrStatus.of(RequestStatus.FAILED)).isEqualTo(OpenDsrStatus.CANCELLED);
        assertThat(OpenDsrStatus.of(RequestStatus.CANCELLED)).isEqualTo(OpenDsrStatus.CANCELLED);
        // Every open status is pending or in progress: a controller never sees an open request as closed.
        assertThat(RequestStatus.OPEN).allMatch(s -> OpenDsrStatus.of(s) == OpenDsrStatus.PENDING
                || OpenDsrStatus.of(s) == OpenDsrStatus.IN_PROGRESS);
    }
}
