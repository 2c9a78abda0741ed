package io.privacyplatform.request.service;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import org.jboss.logging.Logger;

import io.privacyplatform.events.SubjectPseudonym;
import io.privacyplatform.events.payload.Notification;
import io.privacyplatform.request.Breach;
import io.privacyplatform.request.BreachStatus;
import io.privacyplatform.request.repository.BreachRepository;
import io.privacyplatform.request.repository.BreachRepository.Filter;
import io.privacyplatform.support.error.ApiException;
import io.privacyplatform.support.error.ErrorResponse.FieldProblem;
import io.privacyplatform.support.outbox.Outbox;
import io.privacyplatform.support.rest.PageCursor;

/**
 * The breach register (Art. 33/34 GDPR): recording a breach, what the investigation learns, the notification of the
 * supervisory authority (which stops the 72-hour clock) and of the affected subjects. Every change appends to the
 * breach's audit chain in the transaction that makes it; notices to subjects go out through the outbox in it too.
 * Inputs arrive validated (the resource); what depends on the breach's state is checked here (409).
 */
@ApplicationScoped
public class BreachRegister {

    private static final Logger LOG = Logger.getLogger(BreachRegister.class);

    /** A notice to an affected subject, for the mailer (Art. 34 GDPR). */
    public static final String BREACH_NOTICE = "breach_notice";
    /** An alert for operators: the authority's notification is due soon or overdue. */
    public static final String BREACH_ALERT = "breach_alert";

    @Inject
    Clock clock;

    @Inject
    BreachRepository breaches;

    @Inject
    AuditChain audit;

    @Inject
    Outbox outbox;

    @Inject
    SubjectPseudonym pseudonym;

    /** A validated new breach. */
    public record NewBreach(String description, Instant detectedAt, List<String> categories, long approximateSubjects,
            List<String> systems, String likelyConsequences, String measures) {
    }

    /** Validated changes; null fields stay as they are. {@code reason} goes with a change of status. */
    public record BreachChanges(String description, Instant detectedAt, List<String> categories,
            Long approximateSubjects, List<String> systems, String likelyConsequences, String measures,
            BreachStatus status, String reason) {
    }

    public record AuthorityNotice(Instant notifiedAt, String reference, String delayReason) {
    }

    /** One affected subject; without an e-mail address the mailer looks the subject's up. */
    public record Recipient(String subjectId, String email) {
    }

    /** What the subjects are told besides the register's consequences and measures (Art. 34(2)). */
    public record SubjectNotice(List<Recipient> recipients, String summary, String contact) {
    }

    public record SubjectsNotified(String breachId, int notified, long subjectsNotified, Instant notifiedAt) {
    }

    Instant now() {
        // PostgreSQL keeps microseconds: what is hashed into the audit chain must be what is read back.
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    @Transactional
    public Breach record(String tenantId, String actor, NewBreach input) {
        Instant now = now();
        Breach breach = new Breach();
        breach.id = UUID.randomUUID();
        breach.tenantId = tenantId;
        breach.status = BreachStatus.OPEN;
        breach.description = input.description();
        breach.detectedAt = input.detectedAt();
        breach.authorityDueAt = input.detectedAt().plus(Breach.NOTIFY_AUTHORITY_WITHIN);
        breach.categories = input.categories();
        breach.approximateSubjects = input.approximateSubjects();
        breach.systems = input.systems();
        breach.likelyConsequences = input.likelyConsequences();
        breach.measures = input.measures();
        breach.recordedAt = now;
        breach.recordedBy = actor;
        breach.updatedAt = now;
        breaches.persist(breach);
        audit.append(breach, now, actor, "recorded", audit.detail("detectedAt", breach.detectedAt.toString(),
                "authorityDueAt", breach.authorityDueAt.toString(), "categories", breach.categories,
                "approximateSubjects", breach.approximateSubjects, "systems", breach.systems));
        LOG.infof("breach %s recorded for tenant %s, authority due %s", breach.id, tenantId, breach.authorityDueAt);
        return breach;
    }

    /**
     * What the investigation learnt, and/or a new status. A changed detection time moves the deadline, and the new
     * deadline earns its own alerts. Closing a breach whose authority was not notified needs the reason why no
     * notification was needed (Art. 33(1): unlikely to result in a risk); it stops the clock too.
     */
    @Transactional
    public Breach update(String tenantId, String actor, UUID id, BreachChanges changes) {
        Instant now = now();
        Breach breach = lockOpen(tenantId, id);
        Map<String, Object> changed = new LinkedHashMap<>();
        if (changes.description() != null && !changes.description().equals(breach.description)) {
            breach.description = changes.description();
            changed.put("description", breach.description);
        }
        if (changes.detectedAt() != null && !changes.detectedAt().equals(breach.detectedAt)) {
            if (breach.notifiedAuthorityAt != null && breach.notifiedAuthorityAt.isBefore(changes.detectedAt())) {
                throw ApiException.validation("detectedAt", "must not be after the authority's notification ("
                        + breach.notifiedAuthorityAt + ")");
            }
            breach.detectedAt = changes.detectedAt();
            breach.authorityDueAt = breach.detectedAt.plus(Breach.NOTIFY_AUTHORITY_WITHIN);
            breach.alertDueSoonAt = null;
            breach.alertOverdueAt = null;
            changed.put("detectedAt", breach.detectedAt.toString());
            changed.put("authorityDueAt", breach.authorityDueAt.toString());
        }
        if (changes.categories() != null && !changes.categories().equals(breach.categories)) {
            breach.categories = changes.categories();
            changed.put("categories", breach.categories);
        }
        if (changes.approximateSubjects() != null && changes.approximateSubjects() != breach.approximateSubjects) {
            breach.approximateSubjects = changes.approximateSubjects();
            changed.put("approximateSubjects", breach.approximateSubjects);
        }
        if (changes.systems() != null && !changes.systems().equals(breach.systems)) {
            breach.systems = changes.systems();
            changed.put("systems", breach.systems);
        }
        if (changes.likelyConsequences() != null && !changes.likelyConsequences().equals(breach.likelyConsequences)) {
            breach.likelyConsequences = changes.likelyConsequences();
            changed.put("likelyConsequences", breach.likelyConsequences);
        }
        if (changes.measures() != null && !changes.measures().equals(breach.measures)) {
            breach.measures = changes.measures();
            changed.put("measures", breach.measures);
        }
        if (!changed.isEmpty()) {
            audit.append(breach, now, actor, "updated", audit.detail(changed));
        }
        if (changes.status() != null && changes.status() != breach.status) {
            move(breach, changes.status(), changes.reason(), actor, now);
        }
        breach.updatedAt = now;
        return breach;
    }

    private void move(Breach breach, BreachStatus to, String reason, String actor, Instant now) {
        if (!breach.status.mayMoveTo(to)) {
            throw new ApiException(409, "invalid_transition", "a breach cannot go from '" + breach.status.wire()
                    + "' to '" + to.wire() + "'", List.of(new FieldProblem("status", "from " + breach.status.wire()
                            + " to " + to.wire())));
        }
        if (to == BreachStatus.CLOSED) {
            if (breach.notifiedAuthorityAt == null && reason == null) {
                throw ApiException.validation("reason", "is required to close a breach whose supervisory "
                        + "authority was not notified: why no notification was needed (Art. 33(1) GDPR)");
            }
            breach.closedAt = now;
            breach.closeReason = reason;
        }
        String detail = audit.detail("from", breach.status.wire(), "reason", reason);
        breach.status = to;
        audit.append(breach, now, actor, to.wire(), detail);
    }

    /**
     * The supervisory authority was notified: the clock stops. A notification after the 72 hours must say why it
     * came late (Art. 33(1)); {@code notifiedAt} is checked against detection and the present by the caller.
     */
    @Transactional
    public Breach notifyAuthority(String tenantId, String actor, UUID id, AuthorityNotice notice) {
        Instant now = now();
        Breach breach = lockOpen(tenantId, id);
        if (breach.notifiedAuthorityAt != null) {
            throw ApiException.conflict("already_notified", "the authority's notification was recorded already ("
                    + breach.notifiedAuthorityAt + ")");
        }
        if (notice.notifiedAt().isBefore(breach.detectedAt)) {
            throw ApiException.validation("notifiedAt", "must not be before the breach was detected ("
                    + breach.detectedAt + ")");
        }
        boolean late = notice.notifiedAt().isAfter(breach.authorityDueAt);
        if (late && notice.delayReason() == null) {
            throw ApiException.validation("delayReason", "is required: the notification came after "
                    + breach.authorityDueAt + " (Art. 33(1) GDPR asks for the reasons of the delay)");
        }
        breach.notifiedAuthorityAt = notice.notifiedAt();
        breach.authorityReference = notice.reference();
        breach.delayReason = notice.delayReason();
        breach.updatedAt = now;
        audit.append(breach, now, actor, "authority_notified", audit.detail("notifiedAt",
                notice.notifiedAt().toString(), "late", late, "reference", notice.reference(), "delayReason",
                notice.delayReason()));
        return breach;
    }

    /**
     * Tells the affected subjects (Art. 34): one {@code breach_notice} per subject on the notification topic,
     * through the outbox in the transaction that counts them and appends the audit entry. Neither the register nor
     * the audit keeps who was told: the count only.
     */
    @Transactional
    public SubjectsNotified notifySubjects(String tenantId, String actor, UUID id, SubjectNotice notice) {
        Instant now = now();
        Breach breach = lockOpen(tenantId, id);
        Map<String, String> params = new LinkedHashMap<>();
        params.put("breachId", breach.id.toString());
        params.put("detectedAt", breach.detectedAt.toString());
        params.put("summary", notice.summary());
        params.put("likelyConsequences", breach.likelyConsequences);
        params.put("measures", breach.measures);
        params.put("contact", notice.contact());
        for (Recipient recipient : notice.recipients()) {
            Notification notification = Notification.of(BREACH_NOTICE, tenantId, recipient.email(),
                    recipient.subjectId(), null, params, now);
            outbox.publish(tenantId, pseudonym.of(tenantId, recipient.subjectId()), notification);
        }
        int count = notice.recipients().size();
        breach.subjectsNotified += count;
        if (breach.subjectsNotifiedAt == null) {
            breach.subjectsNotifiedAt = now;
        }
        breach.updatedAt = now;
        audit.append(breach, now, actor, "subjects_notified",
                audit.detail("notified", count, "subjectsNotified", breach.subjectsNotified));
        return new SubjectsNotified(breach.id.toString(), count, breach.subjectsNotified, now);
    }

    @Transactional
    public Breach get(String tenantId, UUID id) {
        return breaches.getForTenant(tenantId, id);
    }

    /** Latest detected first, after {@code cursor}; one row more than {@code limit} when there is a next page. */
    @Transactional
    public List<Breach> page(String tenantId, Filter filter, PageCursor cursor, int limit) {
        return breaches.page(tenantId, filter, cursor, limit);
    }

    /** The tenant's whole register, in order of detection. */
    @Transactional
    public List<Breach> register(String tenantId) {
        return breaches.register(tenantId);
    }

    /** The breach, locked (its changes and audit appends queue up); 409 once closed: a closed record is final. */
    private Breach lockOpen(String tenantId, UUID id) {
        Breach breach = breaches.lockForTenant(tenantId, id).orElseThrow(() -> ApiException.notFound("breach"));
        if (breach.status == BreachStatus.CLOSED) {
            throw ApiException.conflict("breach_closed", "the breach was closed at " + breach.closedAt
                    + ": its record no longer changes");
        }
        return breach;
    }
}
