package io.privacyplatform.consent.mapping;

import java.time.Duration;
import java.time.Instant;

import io.privacyplatform.consent.repository.ConsentApplicationRepository.OverdueWithdrawal;

/** A withdrawal that {@code system} has not applied by {@code dueBy}. No subject id: the consent id leads to it. */
public record OverdueWithdrawalView(String consentId, String tenantId, String purpose, Instant recordedAt,
        Instant dueBy, String system) {

    public static OverdueWithdrawalView of(OverdueWithdrawal overdue, Duration deadline) {
        return new OverdueWithdrawalView(overdue.consentId().toString(), overdue.tenantId(), overdue.purposeId(),
                overdue.recordedAt(), overdue.recordedAt().plus(deadline), overdue.subscriberId());
    }
}
