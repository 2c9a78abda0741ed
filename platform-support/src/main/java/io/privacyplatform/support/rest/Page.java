package io.privacyplatform.support.rest;

import java.util.List;

/** One page of a listing, newest first; {@code nextCursor} is absent on the last page. */
public record Page<T>(List<T> items, String nextCursor) {
}
