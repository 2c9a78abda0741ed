package io.privacyplatform.consent;

import io.privacyplatform.support.mapping.WireValue;

/**
 * What kind of processing a purpose is. {@code advertising} is what Global Privacy Control opts out of; {@code service}
 * is essential processing that a restriction of processing does not block.
 */
public enum PurposeCategory implements WireValue {
    MARKETING_EMAIL, ANALYTICS, ADVERTISING, SOCIAL, SURVEY, LIVE_CHAT, SERVICE, OTHER
}
