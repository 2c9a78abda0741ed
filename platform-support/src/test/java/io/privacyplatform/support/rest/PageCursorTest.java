package io.privacyplatform.support.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;

import org.junit.jupiter.api.Test;

import io.privacyplatform.support.error.ApiException;

class PageCursorTest {

    @Test
    void shouldRoundTripTimestampToTheNanosecondAndIdsWithColons() {
        PageCursor cursor = new PageCursor(Instant.parse("2026-02-28T10:15:30.123456789Z"), "a:b:c");
        assertThat(PageCursor.decode(cursor.encode())).isEqualTo(cursor);
    }

    @Test
    void shouldRejectForeignCursorAndLimitOutOfRange() {
        assertThatThrownBy(() -> PageCursor.decode("not-a-cursor")).isInstanceOf(ApiException.class)
                .extracting(e -> ((ApiException) e).status()).isEqualTo(400);
        assertThatThrownBy(() -> PageCursor.limit(0)).isInstanceOf(ApiException.class);
        assertThatThrownBy(() -> PageCursor.limit(PageCursor.MAX_LIMIT + 1)).isInstanceOf(ApiException.class);
        assertThat(PageCursor.limit(null)).isEqualTo(PageCursor.DEFAULT_LIMIT);
        assertThat(PageCursor.decode(null)).isNull();
    }
}
