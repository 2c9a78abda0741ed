package io.privacyplatform.request.mapping;

import java.time.Clock;
import java.time.Instant;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.privacyplatform.request.Breach;
import io.privacyplatform.request.service.BreachDeadlineWatch;
import io.quarkus.qute.TemplateData;

/** What the API and the register's export show of a breach, with its 72-hour clock as of the service's now. */
@ApplicationScoped
public class BreachViews {

    @Inject
    Clock clock;

    /**
     * The supervisory authority's notification: {@code dueAt} = detection + 72 h; while the clock runs,
     * {@code hoursLeft} (whole hours, negative once past) and {@code overdue}; once notified, when, and whether late.
     */
    @TemplateData
    public record AuthorityNotification(Instant dueAt, boolean clockRunning, Long hoursLeft, boolean overdue,
            Instant notifiedAt, Boolean notifiedLate, String reference, String delayReason) {
    }

    @TemplateData
    public record BreachView(String breachId, String status, String description, Instant detectedAt,
            List<String> categories, long approximateSubjects, List<String> systems, String likelyConsequences,
            String measures, AuthorityNotification authority, long subjectsNotified, Instant subjectsNotifiedAt,
            Instant recordedAt, String recordedBy, Instant updatedAt, Instant closedAt, String closeReason,
            int auditEntries) {
    }

    public BreachView view(Breach b) {
        return view(b, clock.instant());
    }

    public BreachView view(Breach b, Instant now) {
        boolean running = b.clockRunning();
        AuthorityNotification authority = new AuthorityNotification(b.authorityDueAt, running,
                running ? BreachDeadlineWatch.hoursLeft(now, b.authorityDueAt) : null,
                running && now.isAfter(b.authorityDueAt), b.notifiedAuthorityAt,
                b.notifiedAuthorityAt == null ? null : b.notifiedAuthorityAt.isAfter(b.authorityDueAt),
                b.authorityReference, b.delayReason);
        return new BreachView(b.id.toString(), b.status.wire(), b.description, b.detectedAt, List.copyOf(b.categories),
                b.approximateSubjects, List.copyOf(b.systems), b.likelyConsequences, b.measures, authority,
                b.subjectsNotified, b.subjectsNotifiedAt, b.recordedAt, b.recordedBy, b.updatedAt, b.closedAt,
                b.closeReason, b.auditSeq);
    }
}
