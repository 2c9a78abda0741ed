package io.privacyplatform.request.service;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import org.jboss.logging.Logger;

import io.privacyplatform.request.RightsRequest;
import io.privacyplatform.request.config.RequestsConfig;
import io.privacyplatform.request.repository.DashboardSessionRepository;
import io.privacyplatform.request.repository.ExportPartRepository;
import io.privacyplatform.request.repository.RightsRequestRepository;
import io.privacyplatform.support.error.ApiException;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;

/**
 * How long request-service keeps the personal data of requests. Export copies go
 * {@code requests.exports.keep-after-delivery} after their first download; a closed request keeps its subject id,
 * contact address, details and rectification values {@code requests.closed.keep-identifiers}, then only what
 * accountability needs (type, dates, outcome, audit chain). Each removal is an entry in the request's audit chain.
 * The same pass deletes the dashboard sessions that have ended (idle or past their absolute end): they would open
 * nothing any more, but their rows name who was signed in; and the privacy page's expired access tokens and
 * download links, and the ended windows of its rate limits.
 */
@ApplicationScoped
public class RequestDataRetention {

    private static final Logger LOG = Logger.getLogger(RequestDataRetention.class);
    private static final int BATCH = 200;
    static final String ACTOR = "retention:request-service";

    /** What one pass removed. */
    public record Pruned(int exports, int requests, long sessions, long privacyPageTokens, int rateLimitWindows) {
    }

    @Inject
    Clock clock;

    @Inject
    RequestsConfig config;

    @Inject
    RightsRequestRepository requests;

    @Inject
    ExportPartRepository exportParts;

    @Inject
    AuditChain audit;

    @Inject
    DashboardSessionRepository dashboardSessions;

    @Inject
    PrivacyPage privacyPage;

    @Inject
    PrivacyPageLimits limits;

    /**
     * The export is being handed out (inside the GET's transaction): the first time starts the copies' clock. Once
     * they are deleted the export is gone (410).
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void delivered(RightsRequest request) {
        if (request.exportDeletedAt != null) {
            throw new ApiException(410, "export_expired", "the export is no longer held: its copies were deleted on "
                    + request.exportDeletedAt, null);
        }
        if (request.exportDeliveredAt == null) {
            request.exportDeliveredAt = now();
        }
    }

    @Scheduled(identity = "request-data-prune", every = "${requests.prune.every}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        prune();
    }

    /** One pass over every tenant, in batches of their own transactions; several instances skip each other's rows. */
    public Pruned prune() {
        int exports = 0;
        int batch;
        do {
            batch = QuarkusTransaction.requiringNew().call(this::deleteDeliveredExports);
            exports += batch;
        } while (batch == BATCH);
        int closed = 0;
        do {
            batch = QuarkusTransaction.requiringNew().call(this::removeClosedIdentifiers);
            closed += batch;
        } while (batch == BATCH);
        long sessions = QuarkusTransaction.requiringNew().call(this::deleteEndedSessions);
        // The privacy page's expired access tokens and download links, and the rate limits' ended windows: neither
        // opens anything any more, and the windows hold HMACs of client and e-mail addresses.
        long tokens = QuarkusTransaction.requiringNew().call(() -> privacyPage.prune());
        int windows = limits.prune();
        if (exports + closed + sessions + tokens + windows > 0) {
            LOG.infof("pruned the export copies of %d and the identifiers of %d closed request(s), %d ended dashboard"
                    + " session(s), %d expired privacy page token(s), %d ended rate limit window(s)", exports, closed,
                    sessions, tokens, windows);
        }
        return new Pruned(exports, closed, sessions, tokens, windows);
    }

    private int deleteDeliveredExports() {
        Instant now = now();
        List<RightsRequest> due = requests.exportDeliveredBefore(now.minus(config.exports().keepAfterDelivery()),
                BATCH);
        for (RightsRequest request : due) {
            deleteExport(request, now);
        }
        return due.size();
    }

    private int removeClosedIdentifiers() {
        Instant now = now();
        List<RightsRequest> due = requests.closedWithIdentifiersBefore(now.minus(config.closed().keepIdentifiers()),
                BATCH);
        for (RightsRequest request : due) {
            if (request.type.exportsData() && request.exportDeletedAt == null) {
                deleteExport(request, now);
            }
            request.subjectId = null;
            request.contactEmail = null;
            request.details = null;
            request.rectification = "{}";
            request.identifiersRemovedAt = now;
            audit.append(request, now, ACTOR, "identifiers_removed",
                    "{\"keptFor\":\"" + config.closed().keepIdentifiers() + "\"}");
        }
        return due.size();
    }

    private long deleteEndedSessions() {
        Instant now = now();
        return dashboardSessions.deleteEnded(now, now.minus(config.dashboard().idleTimeout()));
    }

    private void deleteExport(RightsRequest request, Instant now) {
        long parts = exportParts.deleteOfRequest(request.tenantId, request.id);
        request.exportDeletedAt = now;
        if (parts > 0) {
            audit.append(request, now, ACTOR, "export_deleted", "{\"parts\":\"" + parts + "\"}");
        }
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }
}
