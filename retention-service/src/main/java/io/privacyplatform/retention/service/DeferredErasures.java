package io.privacyplatform.retention.service;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;

import io.privacyplatform.events.EventCodec;
import io.privacyplatform.events.payload.CommandKind;
import io.privacyplatform.events.payload.CommandSubject;
import io.privacyplatform.retention.DataSystem;
import io.privacyplatform.retention.DeferredErasure;
import io.privacyplatform.retention.DeferredState;
import io.privacyplatform.retention.LegalHold;
import io.privacyplatform.retention.ProgressState;
import io.privacyplatform.retention.RightsRequest;
import io.privacyplatform.retention.SubjectCommand;
import io.privacyplatform.retention.config.RetentionConfig;
import io.privacyplatform.retention.repository.DataSystemRepository;
import io.privacyplatform.retention.repository.DeferredErasureRepository;
import io.privacyplatform.retention.repository.LegalHoldRepository;
import io.privacyplatform.retention.repository.RightsRequestRepository;
import io.privacyplatform.retention.repository.SubjectCommandRepository;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

/**
 * Holds defer, they do not forget. Every category a legal hold kept from an erasure is recorded per system
 * ({@code deferred_erasure}, with the subject needed to erase it later). Once no hold in force covers it any more
 * (an operator released the hold, or its {@code until} passed: the sweep finds those) and the request has completed
 * with its certificate, its ERASE is issued: one deferred command per system, all of one release sharing a
 * {@code releaseId}, tracked like any command (acks, re-sends, stuck). When every command of a release finished,
 * the request's certificate is amended with what they did ({@link DeletionCertificates#amend}).
 * <p>
 * Every change takes the request's row lock first, like the rest of the request's commands, so a release and the
 * acks of its commands are serialised and a category is issued once.
 */
@ApplicationScoped
public class DeferredErasures {

    private static final Logger LOG = Logger.getLogger(DeferredErasures.class);

    @Inject
    DeferredErasureRepository deferred;

    @Inject
    SubjectCommandRepository commands;

    @Inject
    RightsRequestRepository requests;

    @Inject
    LegalHoldRepository holds;

    @Inject
    DataSystemRepository systems;

    @Inject
    CommandDispatcher dispatcher;

    @Inject
    DeletionCertificates certificates;

    @Inject
    EventCodec codec;

    @Inject
    RetentionConfig config;

    @Inject
    Clock clock;

    /** Records the categories holds kept from the erasure in one system, with their holds' reasons. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void record(RightsRequest request, String systemId, List<String> heldCategories,
            Map<String, String> holdReasons, CommandSubject subject) {
        Instant now = clock.instant();
        String subjectJson = json(subject);
        for (String category : heldCategories) {
            DeferredErasure row = new DeferredErasure();
            row.id = UUID.randomUUID();
            row.requestId = request.requestId;
            row.tenantId = request.tenantId;
            row.systemId = systemId;
            row.category = category;
            row.holdReason = holdReasons.get(category);
            row.subject = subjectJson;
            row.state = DeferredState.WAITING;
            row.createdAt = now;
            deferred.persist(row);
        }
    }

    /** A hold was released: the subject's requests that waited on it are released now, as far as no other hold covers. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void onHoldReleased(LegalHold hold) {
        Instant now = clock.instant();
        for (String requestId : deferred.waitingRequestsOf(hold.tenantId, hold.subjectPseudonym)) {
            requests.lockRow(requestId, false);
            release(requests.findById(requestId), now);
        }
    }

    /**
     * The sweep's part: requests with a waiting category no hold covers any more (typically a hold whose
     * {@code until} passed). Each request in its own transaction; one locked elsewhere is left to the next sweep.
     * Returns how many requests had a release.
     */
    public int sweep() {
        Instant now = clock.instant();
        List<String> due = QuarkusTransaction.requiringNew()
                .call(() -> deferred.releasableRequests(now, config.commands().sweepBatch()));
        int released = 0;
        for (String requestId : due) {
            try {
                if (QuarkusTransaction.requiringNew().call(() -> requests.lockRow(requestId, true)
                        && release(requests.findById(requestId), now))) {
                    released++;
                }
            } catch (RuntimeException e) {
                LOG.errorf("release of deferred erasures of request %s failed: %s", requestId,
                        e.getClass().getName());
            }
        }
        return released;
    }

    /**
     * Issues the ERASE of every waiting category of the (locked) request that no hold in force covers, one command
     * per system, once the request has completed (its certificate must exist to be amended; a request completing
     * later calls this again). Returns whether anything was issued.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean release(RightsRequest request, Instant now) {
        if (request.state != ProgressState.COMPLETED) {
            return false;
        }
        List<DeferredErasure> waiting = deferred.waitingOf(request.requestId);
        if (waiting.isEmpty()) {
            return false;
        }
        List<LegalHold> subjectHolds = holds.ofSubject(request.tenantId, request.subjectPseudonym);
        Set<String> stillHeld = new TreeSet<>();
        subjectHolds.stream().filter(h -> h.activeAt(now)).forEach(h -> stillHeld.addAll(List.of(h.categories)));
        Map<String, List<DeferredErasure>> bySystem = new TreeMap<>();
        for (DeferredErasure row : waiting) {
            if (!stillHeld.contains(row.category)) {
                bySystem.computeIfAbsent(row.systemId, s -> new ArrayList<>()).add(row);
            }
        }
        UUID releaseId = UUID.randomUUID();
        int issued = 0;
        for (Map.Entry<String, List<DeferredErasure>> entry : bySystem.entrySet()) {
            DataSystem system = systems.findById(entry.getKey());
            if (system == null) {
                // It left the data map: nothing can be sent; the categories stay waiting (and off the certificate).
                LOG.warnf("request %s: system %s left the data map; its deferred erasure waits", request.requestId,
                        entry.getKey());
                continue;
            }
            List<DeferredErasure> rows = entry.getValue();
            List<String> categories = rows.stream().map(r -> r.category).toList();
            CommandSubject subject = read(rows.get(0).subject);
            dispatcher.issueDeferred(new CommandOrder(request.requestId, null, request.tenantId,
                    request.subjectPseudonym, system, CommandKind.ERASE, categories, List.of(), subject, Map.of(),
                    null, now.plusSeconds(system.ackTimeoutSeconds)), releaseId);
            for (DeferredErasure row : rows) {
                row.state = DeferredState.ISSUED;
                row.releaseId = releaseId;
                row.releasedAt = now;
                row.releaseReason = releaseReason(row.category, subjectHolds, now);
                row.subject = null; // the command carries it now, and drops it when finished
            }
            issued++;
        }
        if (issued > 0) {
            LOG.infof("request %s: legal holds ended, deferred erasure issued to %d systems (release %s)",
                    request.requestId, issued, releaseId);
        }
        return issued > 0;
    }

    /**
     * A deferred command changed. Once every command of its release finished, the release's categories are done,
     * the commands drop the subject, and the certificate gets its amendment (once).
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void settle(SubjectCommand changed) {
        commands.flush();
        List<SubjectCommand> ofRelease = commands.ofRelease(changed.releaseId);
        if (!ofRelease.stream().allMatch(SubjectCommand::finished) || !deferred.markDone(changed.releaseId)) {
            return;
        }
        for (SubjectCommand command : ofRelease) {
            command.payload = null;
        }
        Map<String, String> released = new TreeMap<>();
        for (DeferredErasure row : deferred.ofRelease(changed.releaseId)) {
            released.putIfAbsent(row.category, row.releaseReason);
        }
        certificates.amend(requests.findById(changed.requestId), ofRelease, released);
        LOG.infof("request %s: deferred erasure of release %s finished; certificate amended", changed.requestId,
                changed.releaseId);
    }

    /** Why the category is no longer held: the latest hold on it that ended, released (with its reason) or expired. */
    private static String releaseReason(String category, List<LegalHold> subjectHolds, Instant now) {
        return subjectHolds.stream()
                .filter(h -> List.of(h.categories).contains(category) && h.endedAt(now) != null)
                .max(Comparator.comparing((LegalHold h) -> h.endedAt(now)))
                .map(h -> h.releasedAt != null ? "hold released: " + h.releaseReason
                        : "hold expired at " + h.until)
                .orElse("no hold in force");
    }

    private String json(CommandSubject subject) {
        try {
            return codec.mapper().writeValueAsString(subject);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the subject", e);
        }
    }

    private CommandSubject read(String subject) {
        try {
            return codec.mapper().readValue(subject, CommandSubject.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot read a stored subject", e);
        }
    }
}
