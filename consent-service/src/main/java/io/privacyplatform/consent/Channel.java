package io.privacyplatform.consent;

import io.privacyplatform.support.mapping.WireValue;

/** Where a decision was collected. */
public enum Channel implements WireValue {
    WEB, APP, EMAIL, API, IMPORT, SUPPORT, RIGHTS_REQUEST
}
