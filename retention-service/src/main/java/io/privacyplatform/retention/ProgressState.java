package io.privacyplatform.retention;

import io.privacyplatform.support.mapping.WireValue;

/**
 * Where a rights request's or a policy run's commands stand together, as published in {@code RequestProgress}
 * and stored as its lower-case name ({@code in_progress}).
 */
public enum ProgressState implements WireValue {
    IN_PROGRESS, COMPLETED, FAILED, STUCK,
    /** Nothing more happens without an operator: no system was addressed, or one needs a missing identifier. */
    ACTION_REQUIRED;
}
