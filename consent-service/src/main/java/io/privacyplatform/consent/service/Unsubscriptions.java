package io.privacyplatform.consent.service;

import java.time.Clock;
import java.util.Optional;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import io.privacyplatform.consent.Channel;
import io.privacyplatform.consent.ConsentRecord;
import io.privacyplatform.consent.Decision;
import io.privacyplatform.consent.Purpose;
import io.privacyplatform.consent.repository.ConsentRecordRepository;
import io.privacyplatform.consent.repository.PurposeRepository;
import io.privacyplatform.support.error.ApiException;

/** One-click unsubscribe: a signed link withdraws one purpose of one subject, without a login. */
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

    /** The purpose a valid token is about (for the confirmation page); 404 for a token that is not ours. */
    @Transactional
    public Purpose purposeOf(String token) {
        UnsubscribeTokens.Claims claims = tokens.verify(token).orElseThrow(() -> ApiException.notFound("link"));
        return purposes.findByPurposeId(claims.tenant(), claims.purpose())
                .orElseThrow(() -> ApiException.notFound("link"));
    }

    /**
     * Records {@code withdrawn} over channel {@code email}. A repeat (or a purpose already withdrawn or denied)
     * records nothing more: the state is already what the person asked for.
     */
    @Transactional
    public Done unsubscribe(String token) {
        UnsubscribeTokens.Claims claims = tokens.verify(token).orElseThrow(() -> ApiException.notFound("link"));
        Purpose purpose = purposes.findByPurposeId(claims.tenant(), claims.purpose())
                .orElseThrow(() -> ApiException.notFound("link"));
        ledger.lockSubjects(claims.tenant(), Set.of(claims.subject()));
        Optional<ConsentRecord> current = records.current(claims.tenant(), claims.subject()).stream()
                .filter(r -> r.purposeId.equals(purpose.purposeId)).findFirst();
        if (current.isPresent() && current.get().decision != Decision.GRANTED) {
            return new Done(purpose.title, false);
        }
        if (current.isPresent()) {
            ledger.withdraw(current.get(), purpose, Channel.EMAIL, false, null, clock.instant());
        } else {
            // Never recorded here (e.g. the list was imported elsewhere): the withdrawal is still worth keeping.
            ledger.append(claims.tenant(), claims.subject(), purpose, Decision.WITHDRAWN,
                    purpose.defaultLawfulBasis, null, Channel.EMAIL, false, null, clock.instant(), null);
        }
        return new Done(purpose.title, true);
    }
}
