package io.privacyplatform.maillog.service;

import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import org.jboss.logging.Logger;

import io.privacyplatform.events.EventEnvelope;
import io.privacyplatform.events.payload.ConsentChanged;
import io.privacyplatform.events.subscriber.ConsentHandler;
import io.privacyplatform.maillog.repository.MailSuppressionRepository;

/**
 * What a consent decision does to the mailer this store stands for: a withdrawn (or refused) marketing e-mail purpose
 * is suppressed for the subject, a new grant lifts it; any other decision changes nothing here and is acknowledged
 * all the same (applied by doing nothing). Runs in the transaction of platform-support's
 * {@code ConsentSubscriberInbox}, which acknowledges the decision in the same commit.
 */
@ApplicationScoped
public class MarketingSuppressions implements ConsentHandler {

    static final String MARKETING_EMAIL = "marketing_email";
    private static final Set<String> NO_CONSENT = Set.of("withdrawn", "denied");
    private static final Logger LOG = Logger.getLogger(MarketingSuppressions.class);

    @Inject
    MailSuppressionRepository suppressions;

    @Override
    @Transactional(Transactional.TxType.MANDATORY)
    public void apply(ConsentChanged consent, EventEnvelope envelope) {
        if (!MARKETING_EMAIL.equals(consent.category())) {
            return;
        }
        // The decision's key is the subject's pseudonym: the list never holds a subject id or an address.
        String subject = envelope.key();
        if (subject == null || subject.isBlank()) {
            throw new IllegalArgumentException("consent event " + consent.eventId() + " has no subject key");
        }
        if (NO_CONSENT.contains(consent.decision())) {
            suppressions.suppress(consent.tenantId(), subject, consent.purpose(), UUID.fromString(consent.consentId()),
                    consent.occurredAt());
            LOG.infof("consent event %s: marketing e-mail purpose suppressed", consent.eventId());
        } else if ("granted".equals(consent.decision())
                && suppressions.lift(consent.tenantId(), subject, consent.purpose())) {
            LOG.infof("consent event %s: suppression lifted by a new grant", consent.eventId());
        }
    }
}
