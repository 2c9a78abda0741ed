package io.privacyplatform.consent;

import io.privacyplatform.support.mapping.WireValue;

/** The lawful bases of Art. 6(1) GDPR. */
public enum LawfulBasis implements WireValue {
    CONSENT, CONTRACT, LEGITIMATE_INTEREST, LEGAL_OBLIGATION, VITAL_INTERESTS, PUBLIC_TASK
}
