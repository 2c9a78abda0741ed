package io.privacyplatform.support.rest;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;

import io.privacyplatform.support.error.ApiException;

/**
 * Keyset pagination over "newest first" listings: the cursor is the (timestamp, id) of the last item of a page,
 * opaque to clients. Rows inserted meanwhile neither shift nor repeat items, as offsets would.
 * Query with {@code WHERE (at, id) < (:at, :id) ORDER BY at DESC, id DESC LIMIT :limit + 1}.
 */
public record PageCursor(Instant at, String id) {

    public static final int DEFAULT_LIMIT = 50;
    public static final int MAX_LIMIT = 200;

    public String encode() {
        String raw = at.getEpochSecond() + ":" + at.getNano() + ":" + id;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    /** The cursor of a {@code cursor} query parameter; null when absent; a 400 when it is not one of ours. */
    public static PageCursor decode(String cursor) {
        if (cursor == null || cursor.isBlank()) {
            return null;
        }
        try {
            String raw = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            String[] parts = raw.split(":", 3);
            return new PageCursor(Instant.ofEpochSecond(Long.parseLong(parts[0]), Long.parseLong(parts[1])),
                    parts[2]);
        } catch (RuntimeException e) {
            throw ApiException.validation("cursor", "is not a cursor returned by this API");
        }
    }

    /** The {@code limit} query parameter: default {@value #DEFAULT_LIMIT}, 1 to {@value #MAX_LIMIT}. */
    public static int limit(Integer requested) {
        if (requested == null) {
            return DEFAULT_LIMIT;
        }
        if (requested < 1 || requested > MAX_LIMIT) {
            throw ApiException.validation("limit", "must be between 1 and " + MAX_LIMIT);
        }
        return requested;
    }
}
