package io.privacyplatform.request.config;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** {@code requests.*}: answer periods per regulation, verification codes, SLA warnings, breach alerts. */
@ConfigMapping(prefix = "requests")
public interface RequestsConfig {

    /**
     * The period the policy promises per regulation (lower-case key), an ISO-8601 period: {@code gdpr=P30D},
     * {@code ccpa=P45D}.
     */
    Map<String, String> regulations();

    /**
     * The law's own limit where it counts in calendar terms ({@code gdpr=P1M}: "one month", Reg. 1182/71); the due
     * date is the earlier of this and the policy's period. Regulations without an entry use the policy's only.
     */
    Map<String, String> statutoryLimits();

    /** The regulation of a request that names none. */
    @WithDefault("gdpr")
    String defaultRegulation();

    Verification verification();

    Sla sla();

    Exports exports();

    Closed closed();

    Prune prune();

    Mailer mailer();

    Audit audit();

    Dashboard dashboard();

    Breaches breaches();

    OpenDsr opendsr();

    PrivacyPage privacyPage();

    interface Verification {
        /** Wrong codes accepted before the code is locked. */
        @WithDefault("5")
        int maxAttempts();

        @WithDefault("PT24H")
        Duration validity();
    }

    interface Sla {
        /** An alert goes out once when this few whole days are left. */
        @WithDefault("7")
        int warnDays();

        /** How often the check runs (read by the scheduler); {@code off} disables it (tests run it by hand). */
        @WithDefault("60s")
        String checkEvery();
    }

    interface Exports {
        /** Export copies are deleted this long after the export's first successful download. */
        @WithDefault("P7D")
        Duration keepAfterDelivery();
    }

    interface Closed {
        /**
         * A closed request keeps its subject id, contact address, details and rectification values this long (to
         * answer questions about it), then only what accountability needs: type, dates, outcome, audit chain.
         */
        @WithDefault("P90D")
        Duration keepIdentifiers();
    }

    interface Prune {
        /** How often the prune of export copies and closed requests' identifiers runs; {@code off} disables it. */
        @WithDefault("1h")
        String every();
    }

    interface Mailer {
        /**
         * The mailer's RSA public key (base64 X.509 SubjectPublicKeyInfo): verification codes are sealed for it.
         * Without it no code can be sent (a request that needs one answers 503).
         */
        Optional<String> publicKey();
    }

    interface Audit {
        /**
         * The directory of the audit anchor signing keys (a mounted secret): {@code <kid>.pem} PKCS#8 Ed25519
         * private keys, {@code <kid>.pub.pem} public keys of retired ones. Required: without it the service does not
         * start.
         */
        Optional<String> keysDir();

        /** The id of the key in {@link #keysDir()} that signs new anchors; the others stay published. */
        Optional<String> currentKeyId();

        /** How often the audit chains are anchored ({@code 1h}); {@code off} disables the timer. */
        @WithDefault("1h")
        String anchorEvery();
    }

    interface Dashboard {
        /** A dashboard session unused this long ends (the operator signs in again). */
        @WithDefault("PT30M")
        Duration idleTimeout();

        /** A dashboard session ends this long after sign-in at the latest, or when the operator's token expires. */
        @WithDefault("PT8H")
        Duration absoluteTimeout();
    }

    interface Breaches {
        /**
         * A breach whose authority notification is due within this long gets one {@code due_soon} alert (the
         * 72 hours themselves are the law's, not a setting). The check runs with the SLA check
         * ({@code requests.sla.check-every}).
         */
        @WithDefault("PT24H")
        Duration warnBefore();
    }

    interface OpenDsr {
        /**
         * The processor's RSA private key (PEM, PKCS#8 or PKCS#1; a mounted secret) that signs OpenDSR answers and
         * callbacks. With {@link #certificateFile()} it turns the OpenDSR endpoint on; without both, dev and test make
         * a key and a self-signed certificate at start, and prod answers 503 {@code opendsr_not_configured}.
         */
        Optional<String> keyFile();

        /** The key's X.509 certificate (PEM; a CA's chain may follow it), served at the discovery's URL. */
        Optional<String> certificateFile();

        /**
         * Where controllers reach this service ({@code https://opendsr.example.com}): the base of the certificate's
         * and results' URLs and the processor domain. Unset: the address each request came to.
         */
        Optional<URI> publicUrl();

        Callbacks callbacks();

        interface Callbacks {
            /** How often the timer sends the callbacks that are due; {@code off} disables it. */
            @WithDefault("5s")
            String every();

            /** The wait after the first failed attempt; it doubles with each further one, up to {@link #maxBackoff()}. */
            @WithDefault("PT30S")
            Duration firstBackoff();

            @WithDefault("PT1H")
            Duration maxBackoff();

            /** Attempts before a callback is given up (about 9 hours with the default backoff). */
            @WithDefault("14")
            int maxAttempts();

            /** How long one attempt may take (connecting and the answer). */
            @WithDefault("PT10S")
            Duration timeout();

            /** URL schemes a controller may name for callbacks; dev and test also allow http. */
            @WithDefault("https")
            Set<String> schemes();

            /**
             * Whether callbacks may go to loopback, private and link-local addresses. Off outside dev and test: a
             * controller's URL must not make the platform call into its own network.
             */
            @WithDefault("false")
            boolean allowPrivateAddresses();
        }
    }

    /**
     * The public privacy page ({@code /privacy/{tenant}}) where data subjects submit and follow their own requests
     * without an account.
     */
    interface PrivacyPage {
        /**
         * The tenants that offer the page (ids as in the tokens' {@code tenant} claim). A tenant not listed answers
         * 404: a controller decides to offer self-service requests, nobody else decides it for them.
         */
        Optional<Set<String>> tenants();

        /**
         * How long the browser's access to one request (the cookie set on submission) is honoured: long enough to
         * follow a request to its end (30 days, or three months once extended) and fetch the export.
         */
        @WithDefault("P120D")
        Duration accessValidity();

        /** How long a one-time export download link works (it works once in any case). */
        @WithDefault("PT24H")
        Duration downloadLinkValidity();

        RateLimits rateLimit();

        interface RateLimits {
            /** Submissions of the form. */
            Limit submit();

            /** Codes entered (right or wrong). */
            Limit code();

            /** New codes asked for. */
            Limit resend();

            /**
             * How many proxies in front of the service append to {@code X-Forwarded-For}. 0 (the default): the
             * client is the connection's peer address and the header is ignored (anyone can write it). N: the
             * client is the N-th address from the right of the header (the one the outermost of our proxies saw);
             * only set it when every request reaches the service through those proxies.
             */
            @WithDefault("0")
            int forwardedForHops();
        }

        interface Limit {
            /** Hits per client address and window. */
            int perIp();

            /** Hits per e-mail address (its HMAC) and window. */
            int perAddress();

            @WithDefault("PT1H")
            Duration window();
        }
    }
}
