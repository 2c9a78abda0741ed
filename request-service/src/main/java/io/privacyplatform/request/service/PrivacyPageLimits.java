package io.privacyplatform.request.service;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.util.Comparator;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import io.privacyplatform.request.config.RequestsConfig;
import io.privacyplatform.support.ratelimit.PostgresRateLimiter;
import io.privacyplatform.support.ratelimit.RateDecision;
import io.privacyplatform.support.ratelimit.RateLimit;

/**
 * The privacy page's rate limits (platform-support's {@link PostgresRateLimiter}: state in PostgreSQL, so every
 * instance counts against the same limit), per client address and per e-mail address, for each of submitting, entering
 * a code and asking for a new one ({@code requests.privacy-page.rate-limit.*}). Every limit of an action counts the
 * hit; the action is refused when any of them is exceeded, with the longest wait.
 */
@ApplicationScoped
public class PrivacyPageLimits {

    public enum Action {
        SUBMIT("submit"), CODE("code"), RESEND("resend");

        final String wire;

        Action(String wire) {
            this.wire = wire;
        }
    }

    private final PostgresRateLimiter limiter;
    private final RequestsConfig config;
    private final Clock clock;

    @Inject
    public PrivacyPageLimits(AgroalDataSource dataSource, Clock clock, MeterRegistry meters, RequestsConfig config,
            @ConfigProperty(name = "privacy.pseudonym.secret") String secret) {
        this.limiter = new PostgresRateLimiter(dataSource, clock, derive(secret), meters);
        this.config = config;
        this.clock = clock;
    }

    /** Counts the hit of this client (and address, when known) and answers the refusal, if any. */
    public Optional<RateDecision> refusal(Action action, String clientAddress, String email) {
        RequestsConfig.PrivacyPage.Limit limit = switch (action) {
            case SUBMIT -> config.privacyPage().rateLimit().submit();
            case CODE -> config.privacyPage().rateLimit().code();
            case RESEND -> config.privacyPage().rateLimit().resend();
        };
        String prefix = "privacy-page." + action.wire;
        RateDecision byClient = limiter.hit(new RateLimit(prefix + ".ip", limit.perIp(), limit.window()),
                clientAddress);
        RateDecision byAddress = email == null ? null
                : limiter.hit(new RateLimit(prefix + ".address", limit.perAddress(), limit.window()),
                        email.trim().toLowerCase(Locale.ROOT));
        return Stream.of(byClient, byAddress).filter(d -> d != null && !d.allowed())
                .max(Comparator.comparingLong(RateDecision::retryAfterSeconds));
    }

    /** Deletes the counters of ended windows (run by the prune). */
    public int prune() {
        return limiter.prune(clock.instant());
    }

    /** The limiter's HMAC key, derived from the platform secret for this one purpose. */
    private static byte[] derive(String secret) {
        try {
            Mac derive = Mac.getInstance("HmacSHA256");
            derive.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return derive.doFinal("request-service/rate-limit".getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
