package io.privacyplatform.request.rest;

/**
 * Who the client is, for rate limits. By default the connection's peer address: {@code X-Forwarded-For} is written
 * by whoever sends the request, so trusting it would let anyone pick a fresh address per try. Behind proxies that
 * append the address they saw ({@code requests.privacy-page.rate-limit.forwarded-for-hops} = how many), the client
 * is the entry that many places from the right: the one our outermost proxy appended; what the client put in front
 * of it is ignored.
 */
public final class ClientAddress {

    private ClientAddress() {
    }

    public static String of(String peerAddress, String forwardedFor, int hops) {
        if (hops <= 0 || forwardedFor == null || forwardedFor.isBlank()) {
            return peerAddress;
        }
        String[] entries = forwardedFor.split(",");
        // Fewer entries than proxies: the header did not come through all of them, so it proves nothing.
        if (entries.length < hops) {
            return peerAddress;
        }
        String client = entries[entries.length - hops].trim();
        return client.isEmpty() || client.length() > 100 ? peerAddress : client;
    }
}
