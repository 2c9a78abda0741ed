package io.privacyplatform.consent.service;

import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import io.privacyplatform.consent.Channel;
import io.privacyplatform.consent.ConsentRecord;
import io.privacyplatform.consent.Decision;
import io.privacyplatform.consent.Purpose;
import io.privacyplatform.consent.UnsubscribeToken;
import io.privacyplatform.consent.repository.ConsentRecordRepository;
import io.privacyplatform.consent.repository.PurposeRepository;
import io.privacyplatform.support.error.ApiException;

/** One-click unsubscribe: an opaque link withdraws one purpose of one subject, without a login. */
@ApplicationScoped
public class Unsubscriptions {

    @Inject
    ConsentLedger ledger;

    @Inject
    ConsentRecordRepository records;

    @Inject
    PurposeRepository purposes;

    @Inject
    UnsubscribeTokens tokens;

    @Inject
    Clock clock;

    public record Done(String purposeTitle, boolean recorded) {
    }

    /** The purpose a valid token is about (for the confirmation page); 404 unknown, 410 expired. */
    @Transactional
    public Purpose purposeOf(String token) {
        UnsubscribeToken link = link(token);
        return purposes.findByPurposeId(link.tenantId, link.purposeId)
                .orElseThrow(() -> ApiException.notFound("link"));
    }

    /**
     * Records {@code withdrawn} over channel {@code email}. A repeat (or a purpose already withdrawn or denied)
     * records nothing more: the state is already what the person asked for.
     */
    @Transactional
    public Done unsubscribe(String token) {
        UnsubscribeToken link = link(token);
        Purpose purpose = purposes.findByPurposeId(link.tenantId, link.purposeId)
                .orElseThrow(() -> ApiException.notFound("link"));
        ledger.lockSubjects(link.tenantId, Set.of(link.subjectId));
        Optional<ConsentRecord> current = records.current(link.tenantId, link.subjectId).stream()
                .filter(r -> r.purposeId.equals(purpose.purposeId)).findFirst();
        if (current.isPresent() && current.get().decision != Decision.GRANTED) {
            return new Done(purpose.title, false);
        }
        if (current.isPresent()) {
            ledger.withdraw(current.get(), purpose, Channel.EMAIL, false, null, clock.instant());
        } else {
            // Never recorded here (e.g. the list was imported elsewhere): the withdrawal is still worth keeping.
            ledger.append(link.tenantId, link.subjectId, purpose, Decision.WITHDRAWN,
                    purpose.defaultLawfulBasis, null, Channel.EMAIL, false, null, clock.instant(), null);
        }
        return new Done(purpose.title, true);
    }

    /**
     * The link behind {@code token}. An erased subject's links are deleted with it, so an old link is unknown here
     * (404) and nothing about the subject is written back.
     */
    private UnsubscribeToken link(String token) {
        UnsubscribeToken link = tokens.find(token).orElseThrow(() -> ApiException.notFound("link"));
        if (tokens.expired(link)) {
            throw new ApiException(410, "link_expired",
                    "this unsubscribe link has expired; use the link in a recent e-mail or the preference centre",
                    List.of());
        }
        return link;
    }
}
