package io.privacyplatform.retention.service;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

import org.jboss.logging.Logger;

import io.privacyplatform.events.keys.DestroyedKey;
import io.privacyplatform.events.keys.SubjectKeys;
import io.privacyplatform.retention.CommandState;
import io.privacyplatform.retention.DeferredErasure;
import io.privacyplatform.retention.RightsRequest;
import io.privacyplatform.retention.SubjectCommand;
import io.privacyplatform.retention.repository.DeferredErasureRepository;
import io.privacyplatform.retention.repository.LegalHoldRepository;
import io.privacyplatform.support.keys.SubjectKeyStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

/**
 * Crypto-shredding: once an erasure is done in every store, the subject's data keys are destroyed, and with them
 * every copy of its personal data the stores cannot reach (the sealed fields of its events on every topic and
 * {@code .dlq}, stores' backups sealed with the same keys). Not while anything of the subject is legitimately kept:
 * a legal hold in force, a category a hold deferred and not yet erased, a store that answered HELD. The key is then
 * destroyed when the deferred erasure finishes (the certificate's amendment says so), or not at all.
 * <p>
 * The keys are destroyed before the certificate that states it is written, in the key store's own database: should
 * the certificate's transaction fail, the key stays destroyed and the retry finds it so (same keys, same times), so
 * a certificate never claims a destruction that did not happen.
 */
@ApplicationScoped
public class CryptoShredding {

    private static final Logger LOG = Logger.getLogger(CryptoShredding.class);

    @Inject
    SubjectKeyStore keyStore;

    @Inject
    LegalHoldRepository holds;

    @Inject
    DeferredErasureRepository deferred;

    @Inject
    Clock clock;

    /**
     * Destroys the subject's keys if nothing of the subject is kept, and answers what a certificate (or its
     * amendment) states about it: {@code cryptoShredded: true} with {@code subjectKeys} ({@code keyId},
     * {@code destroyedAt}), or {@code cryptoShredded: false} with {@code cryptoShreddingReason}.
     *
     * @param commands the request's commands so far (a deferred erasure's included)
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public Map<String, Object> shredIfNothingKept(RightsRequest request, List<SubjectCommand> commands) {
        Optional<SubjectKeys> keys = keyStore.keys();
        String kept = keys.isEmpty() ? "no key store is configured" : whatIsKept(request, commands);
        Map<String, Object> statement = new TreeMap<>();
        if (kept != null) {
            statement.put("cryptoShredded", false);
            statement.put("cryptoShreddingReason", kept);
            return statement;
        }
        List<DestroyedKey> destroyed = keys.get().destroy(request.tenantId, request.subjectPseudonym);
        if (destroyed.isEmpty()) {
            statement.put("cryptoShredded", false);
            statement.put("cryptoShreddingReason", "no personal data of the subject was ever sealed with a data key");
            return statement;
        }
        statement.put("cryptoShredded", true);
        statement.put("subjectKeys", destroyed.stream().map(key -> Map.of("keyId", key.keyId(), "destroyedAt",
                key.destroyedAt().toString())).toList());
        LOG.infof("request %s: the subject's data keys are destroyed (%d)", request.requestId, destroyed.size());
        return statement;
    }

    /** Why the subject's keys must stay, or null when nothing of the subject is kept any more. */
    private String whatIsKept(RightsRequest request, List<SubjectCommand> commands) {
        for (SubjectCommand command : commands) {
            if (command.state == CommandState.HELD && (command.heldCategories == null
                    || command.heldCategories.length == 0)) {
                return "system " + command.systemId + " kept the subject's data (it answered HELD)";
            }
        }
        TreeSet<String> waiting = new TreeSet<>();
        for (String requestId : deferred.waitingRequestsOf(request.tenantId, request.subjectPseudonym)) {
            deferred.waitingOf(requestId).stream().map((DeferredErasure row) -> row.category).forEach(waiting::add);
        }
        if (!waiting.isEmpty()) {
            return "legal holds keep " + String.join(", ", waiting) + "; the subject's data keys are destroyed once"
                    + " their deferred erasure is done";
        }
        Instant now = clock.instant();
        if (holds.ofSubject(request.tenantId, request.subjectPseudonym).stream().anyMatch(h -> h.activeAt(now))) {
            return "a legal hold on the subject is in force";
        }
        return null;
    }
}
