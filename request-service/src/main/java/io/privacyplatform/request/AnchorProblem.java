package io.privacyplatform.request;

import io.privacyplatform.support.mapping.WireValue;

/** Why an audit anchor read back from the topic cannot be relied on. */
public enum AnchorProblem implements WireValue {
    /** Not decodable as an anchor. */
    UNREADABLE,
    /** Signed with a key id that request-service does not publish. */
    UNKNOWN_KEY,
    /** The signature does not verify over the anchor's signed form. */
    BAD_SIGNATURE,
    /** The entries carried do not hash to the signed entries digest. */
    ENTRIES_DIGEST,
    /** A number between 1 and the newest anchor is not on the topic. */
    MISSING,
    /** {@code previous} is not the digest of the anchor before it. */
    BROKEN_LINK,
    /** Two validly signed, different anchors with one number. */
    CONFLICT
}
