package io.privacyplatform.request.rest;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Which address the privacy page's rate limits count: the peer's, or what our own proxies appended. */
class ClientAddressTest {

    @Test
    void shouldIgnoreXForwardedForWithoutTrustedProxies() {
        assertThat(ClientAddress.of("203.0.113.9", "198.51.100.1", 0)).isEqualTo("203.0.113.9");
        assertThat(ClientAddress.of("203.0.113.9", null, 1)).isEqualTo("203.0.113.9");
        assertThat(ClientAddress.of("203.0.113.9", " ", 1)).isEqualTo("203.0.113.9");
    }

    @Test
    void shouldTakeTheAddressOurOutermostProxyAppendedNotWhatTheClientWrote() {
        // The client wrote 10.0.0.1 itself; our one proxy appended the address it saw.
        assertThat(ClientAddress.of("10.1.0.5", "10.0.0.1, 198.51.100.7", 1)).isEqualTo("198.51.100.7");
        // Two proxies: the CDN appended the client, the ingress appended the CDN.
        assertThat(ClientAddress.of("10.1.0.5", "1.2.3.4, 198.51.100.7, 192.0.2.10", 2)).isEqualTo("198.51.100.7");
        // Fewer entries than proxies: the header did not pass them all, the peer counts.
        assertThat(ClientAddress.of("10.1.0.5", "198.51.100.7", 2)).isEqualTo("10.1.0.5");
    }
}
