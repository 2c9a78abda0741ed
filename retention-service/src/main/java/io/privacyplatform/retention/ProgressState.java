package io.privacyplatform.retention;

import java.util.Locale;

/**
 * Where a rights request's or a policy run's commands stand together, as published in {@code RequestProgress}
 * and stored as its lower-case name ({@code in_progress}).
 */
public enum ProgressState {
    IN_PROGRESS, COMPLETED, FAILED, STUCK;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }
}
