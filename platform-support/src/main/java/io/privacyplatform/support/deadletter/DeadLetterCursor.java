package io.privacyplatform.support.deadletter;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import io.privacyplatform.support.error.ApiException;

/** Where the next page of a dead-letter listing starts: a partition and an offset in it, opaque to clients. */
record DeadLetterCursor(int partition, long offset) {

    String encode() {
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString((partition + ":" + offset).getBytes(StandardCharsets.UTF_8));
    }

    /** Null when absent; a 400 when it is not one of ours. */
    static DeadLetterCursor decode(String cursor) {
        if (cursor == null || cursor.isBlank()) {
            return null;
        }
        try {
            String[] parts = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8).split(":");
            if (parts.length != 2) {
                throw new IllegalArgumentException("not two parts");
            }
            DeadLetterCursor decoded = new DeadLetterCursor(Integer.parseInt(parts[0]), Long.parseLong(parts[1]));
            if (decoded.partition < 0 || decoded.offset < 0) {
                throw new IllegalArgumentException("out of range");
            }
            return decoded;
        } catch (RuntimeException e) {
            throw ApiException.validation("cursor", "is not a cursor returned by this API");
        }
    }
}
