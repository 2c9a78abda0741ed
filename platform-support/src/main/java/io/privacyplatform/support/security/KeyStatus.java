package io.privacyplatform.support.security;

import io.privacyplatform.support.mapping.WireValue;

/** A published signing key signs new documents ({@code current}) or only verifies earlier ones ({@code retired}). */
public enum KeyStatus implements WireValue {
    CURRENT, RETIRED
}
