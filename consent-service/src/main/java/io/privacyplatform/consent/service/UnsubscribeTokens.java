package io.privacyplatform.consent.service;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import org.jboss.logging.Logger;

import io.privacyplatform.consent.UnsubscribeToken;
import io.privacyplatform.consent.config.ConsentConfig;
import io.privacyplatform.consent.repository.UnsubscribeTokenRepository;
import io.privacyplatform.support.security.TokenDigest;
import io.quarkus.scheduler.Scheduled;

/**
 * Opaque one-click unsubscribe tokens (RFC 8058): 256 random bits, base64url, in the URL; the table keeps only their
 * SHA-256 with the tenant, subject and purpose, so a URL names no one and a leaked database yields no working link.
 * A token expires after {@code consent.unsubscribe.ttl}; an erasure deletes the subject's tokens, after which an old
 * link is unknown and changes nothing.
 */
@ApplicationScoped
public class UnsubscribeTokens {

    public static final String PATH = "/v1/unsubscribe/";
    private static final Logger LOG = Logger.getLogger(UnsubscribeTokens.class);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    /** 32 bytes in base64url without padding. */
    private static final int TOKEN_CHARS = 43;

    @Inject
    ConsentConfig config;

    @Inject
    UnsubscribeTokenRepository tokens;

    @Inject
    Clock clock;

    @Transactional(Transactional.TxType.MANDATORY)
    public String issue(String tenantId, String subjectId, String purposeId) {
        byte[] random = new byte[32];
        RANDOM.nextBytes(random);
        String token = ENCODER.encodeToString(random);
        UnsubscribeToken row = new UnsubscribeToken();
        row.tokenHash = TokenDigest.of(token);
        row.tenantId = tenantId;
        row.subjectId = subjectId;
        row.purposeId = purposeId;
        row.createdAt = clock.instant();
        row.expiresAt = row.createdAt.plus(config.unsubscribe().ttl());
        tokens.persist(row);
        return token;
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public String url(String tenantId, String subjectId, String purposeId) {
        return config.publicUrl().replaceAll("/+$", "") + PATH + issue(tenantId, subjectId, purposeId);
    }

    /** The link {@code token} stands for, expired or not; empty for a token this service does not know. */
    @Transactional(Transactional.TxType.MANDATORY)
    public Optional<UnsubscribeToken> find(String token) {
        if (token == null || token.length() != TOKEN_CHARS) {
            return Optional.empty();
        }
        return tokens.findByIdOptional(TokenDigest.of(token));
    }

    public boolean expired(UnsubscribeToken link) {
        return !clock.instant().isBefore(link.expiresAt);
    }

    /** Deletes every link of the subject (erasure). @return how many */
    @Transactional(Transactional.TxType.MANDATORY)
    public long forget(String tenantId, String subjectId) {
        return tokens.deleteSubject(tenantId, subjectId);
    }

    /**
     * Deletes links expired for longer than a token lives: until then an expired link still answers 410
     * {@code link_expired}, afterwards 404 like any unknown link.
     */
    @Scheduled(every = "${consent.unsubscribe.prune-interval:6h}", delayed = "1m",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    @Transactional
    void prune() {
        Instant cutoff = clock.instant().minus(config.unsubscribe().ttl());
        long deleted = tokens.deleteExpiredBefore(cutoff);
        if (deleted > 0) {
            LOG.infof("pruned %d expired unsubscribe links", deleted);
        }
    }

}
