package io.privacyplatform.consent;

/** Where a decision was collected. */
public enum Channel implements WireValue {
    WEB, APP, EMAIL, API, IMPORT, SUPPORT, RIGHTS_REQUEST
}
