package io.privacyplatform.consent;

import io.privacyplatform.support.mapping.WireValue;

/**
 * What a purpose's decision means for processing now: the recorded {@link Decision}, except {@code withheld} for a
 * grant while the subject is under a restriction of processing (Art. 18 GDPR).
 */
public enum EffectiveDecision implements WireValue {
    GRANTED, WITHDRAWN, DENIED, WITHHELD;

    public static EffectiveDecision of(Decision recorded, boolean restricted) {
        return restricted && recorded == Decision.GRANTED ? WITHHELD : valueOf(recorded.name());
    }
}
