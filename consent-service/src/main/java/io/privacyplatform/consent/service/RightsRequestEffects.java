package io.privacyplatform.consent.service;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import org.jboss.logging.Logger;

import io.privacyplatform.consent.Channel;
import io.privacyplatform.consent.ConsentRecord;
import io.privacyplatform.consent.Decision;
import io.privacyplatform.consent.LawfulBasis;
import io.privacyplatform.consent.Purpose;
import io.privacyplatform.consent.PurposeCategory;
import io.privacyplatform.consent.repository.ConsentRecordRepository;
import io.privacyplatform.consent.repository.PurposeRepository;
import io.privacyplatform.events.payload.RightsRequestChanged;

/**
 * What rights requests change in the ledger: verified objections withdraw, verified restrictions restrict the
 * subject, a lifted restriction lifts it.
 */
@ApplicationScoped
public class RightsRequestEffects {

    public static final String OBJECTION = "objection";
    public static final String RESTRICTION = "restriction";
    private static final Logger LOG = Logger.getLogger(RightsRequestEffects.class);

    @Inject
    ConsentLedger ledger;

    @Inject
    ConsentRecordRepository records;

    @Inject
    PurposeRepository purposes;

    @Inject
    SubjectRestrictions restrictions;

    @Inject
    Clock clock;

    @Transactional(Transactional.TxType.MANDATORY)
    public void apply(RightsRequestChanged change) {
        if (RightsRequestChanged.RESTRICTION_LIFTED.equals(change.status())) {
            boolean lifted = restrictions.lift(change.tenantId(), change.subjectId());
            LOG.infof("restriction %s lifted: %s", change.requestId(), lifted ? "yes" : "was not restricted");
            return;
        }
        if (!RightsRequestChanged.VERIFIED.equals(change.status())) {
            return;
        }
        if (OBJECTION.equals(change.type())) {
            List<ConsentRecord> withdrawn = object(change);
            LOG.infof("objection %s withdrew %d purposes", change.requestId(), withdrawn.size());
        } else if (RESTRICTION.equals(change.type())) {
            restrictions.restrict(change.tenantId(), change.subjectId(), change.requestId());
            LOG.infof("restriction %s applied", change.requestId());
        }
    }

    /**
     * An objection (Art. 21 GDPR) ends direct marketing and advertising, and every processing based on legitimate
     * interest. Purposes not currently granted need no new record, so a second objection changes nothing.
     */
    List<ConsentRecord> object(RightsRequestChanged change) {
        String tenant = change.tenantId();
        ledger.lockSubjects(tenant, Set.of(change.subjectId()));
        Instant now = clock.instant();
        Instant occurredAt = change.occurredAt().isAfter(now) ? now : change.occurredAt();
        List<ConsentRecord> withdrawn = new ArrayList<>();
        for (ConsentRecord current : records.current(tenant, change.subjectId())) {
            if (current.decision != Decision.GRANTED) {
                continue;
            }
            Purpose purpose = purposes.findByPurposeId(tenant, current.purposeId).orElse(null);
            if (purpose == null) {
                continue;
            }
            boolean marketing = purpose.category == PurposeCategory.MARKETING_EMAIL
                    || purpose.category == PurposeCategory.ADVERTISING;
            boolean legitimateInterest = current.lawfulBasis == LawfulBasis.LEGITIMATE_INTEREST;
            if (marketing || legitimateInterest) {
                withdrawn.add(ledger.withdraw(current, purpose, Channel.RIGHTS_REQUEST, false,
                        change.requestId(), occurredAt));
            }
        }
        return withdrawn;
    }
}
