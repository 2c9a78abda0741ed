package io.privacyplatform.request.service;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.privacyplatform.request.ExportDownloadLink;
import io.privacyplatform.request.PrivacyPageAccess;
import io.privacyplatform.request.RequestStatus;
import io.privacyplatform.request.RightsRequest;
import io.privacyplatform.request.config.RequestsConfig;
import io.privacyplatform.request.repository.ExportDownloadLinkRepository;
import io.privacyplatform.request.repository.PrivacyPageAccessRepository;
import io.privacyplatform.request.repository.RightsRequestRepository;
import io.privacyplatform.request.service.RequestLifecycle.Submission;
import io.privacyplatform.support.security.TokenDigest;

/**
 * What the public privacy page does for a data subject without an account. A submission is an ordinary rights
 * request (unverified: the code goes out by e-mail through {@link VerificationCodes}) plus an access token for the
 * browser that sent it; the token is the only thing that opens the request's page, and the database keeps only its
 * SHA-256. A completed request's export leaves through a one-time download link, kept the same way, its download
 * recorded in the request's audit chain.
 */
@ApplicationScoped
public class PrivacyPage {

    /** The audit actor of everything the data subject does on the page (no account, so no name). */
    public static final String ACTOR = "data-subject:privacy-page";
    private static final int TOKEN_BYTES = 32;
    private static final int MAX_TOKEN_LENGTH = 64;
    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

    private final SecureRandom random = new SecureRandom();

    @Inject
    RequestLifecycle lifecycle;

    @Inject
    RightsRequestRepository requests;

    @Inject
    PrivacyPageAccessRepository access;

    @Inject
    ExportDownloadLinkRepository links;

    @Inject
    ExportAssembler exports;

    @Inject
    RequestDataRetention dataRetention;

    @Inject
    AuditChain audit;

    @Inject
    RequestsConfig config;

    @Inject
    Clock clock;

    /** A new request and the token that gives the submitting browser access to it. */
    public record Submitted(RightsRequest request, String accessToken, Duration accessLifetime) {
    }

    /** The export document of a spent download link. */
    public record Download(UUID requestId, ObjectNode document) {
    }

    /**
     * The request and its access, in one transaction. Every submission takes this path, whoever the address
     * belongs to: the page looks nothing up, so neither its answer nor its timing says whether the tenant knows the
     * address.
     */
    @Transactional
    public Submitted submit(String tenantId, Submission submission) {
        RightsRequest request = lifecycle.submit(tenantId, ACTOR, submission);
        Instant now = now();
        Duration lifetime = config.privacyPage().accessValidity();
        String token = newToken();
        PrivacyPageAccess row = new PrivacyPageAccess();
        row.tokenHash = TokenDigest.of(token);
        row.tenantId = tenantId;
        row.requestId = request.id;
        row.createdAt = now;
        row.expiresAt = now.plus(lifetime);
        access.persist(row);
        return new Submitted(request, token, lifetime);
    }

    /** The tenant's request this access token opens, if it opens it now; empty for any other token or request. */
    @Transactional
    public Optional<RightsRequest> opened(String tenantId, UUID requestId, String token) {
        if (!wellFormed(token)) {
            return Optional.empty();
        }
        return access.live(TokenDigest.of(token), tenantId, requestId, now())
                .flatMap(found -> requests.findForTenant(tenantId, requestId));
    }

    /** Whether the page offers the export: a completed request of a type with one, whose copies are still held. */
    public static boolean exportAvailable(RightsRequest request) {
        return request.type.exportsData() && request.status == RequestStatus.COMPLETED
                && request.exportDeletedAt == null;
    }

    /** A one-time download link's token for the request's export (the caller checked the page's access). */
    @Transactional
    public Optional<String> newDownloadLink(RightsRequest request) {
        if (!exportAvailable(request)) {
            return Optional.empty();
        }
        Instant now = now();
        String token = newToken();
        ExportDownloadLink link = new ExportDownloadLink();
        link.tokenHash = TokenDigest.of(token);
        link.tenantId = request.tenantId;
        link.requestId = request.id;
        link.createdAt = now;
        link.expiresAt = now.plus(config.privacyPage().downloadLinkValidity());
        links.persist(link);
        return Optional.of(token);
    }

    /**
     * Spends a download link and answers the export; empty when the link is unknown, another tenant's, used or
     * expired (all the same to the person: the link no longer works). The download is an audit entry, and the
     * first one starts the export copies' retention clock like the API's download.
     */
    @Transactional
    public Optional<Download> download(String tenantId, String token) {
        if (!wellFormed(token)) {
            return Optional.empty();
        }
        Instant now = now();
        Optional<UUID> spent = links.spend(TokenDigest.of(token), tenantId, now);
        if (spent.isEmpty()) {
            return Optional.empty();
        }
        RightsRequest request = requests.lockForTenant(tenantId, spent.get()).orElse(null);
        if (request == null || !exportAvailable(request)) {
            return Optional.empty();
        }
        ObjectNode document = exports.assemble(request).document();
        dataRetention.delivered(request);
        audit.append(request, now, ACTOR, "export_downloaded", audit.detail("via", "privacy_page_link"));
        return Optional.of(new Download(request.id, document));
    }

    /** Deletes expired access tokens and download links; answers how many rows went. */
    @Transactional
    public long prune() {
        Instant now = now();
        return access.deleteExpired(now) + links.deleteExpired(now);
    }

    private String newToken() {
        byte[] bytes = new byte[TOKEN_BYTES];
        random.nextBytes(bytes);
        return BASE64URL.encodeToString(bytes);
    }

    private static boolean wellFormed(String token) {
        return token != null && !token.isEmpty() && token.length() <= MAX_TOKEN_LENGTH;
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }
}
