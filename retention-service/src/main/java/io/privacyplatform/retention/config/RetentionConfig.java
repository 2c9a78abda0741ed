package io.privacyplatform.retention.config;

import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

@ConfigMapping(prefix = "retention")
public interface RetentionConfig {

    Commands commands();

    Policies policies();

    CertificateKey certificate();

    interface Commands {

        /** Sends of one command (the first included) before an unanswered or failing system is marked stuck. */
        @WithDefault("5")
        int maxAttempts();

        /** Wait after a FAILED ack before the re-send; doubles with each attempt. */
        @WithDefault("PT10S")
        Duration retryBackoff();

        @WithDefault("PT10M")
        Duration maxBackoff();

        /** Period of the timeout sweep ({@code 5s}); {@code off} disables the timer. */
        @WithDefault("5s")
        String sweepEvery();

        /**
         * While this service's own outbox or ack consumer lags ({@code AckBacklog}), how much longer an unanswered
         * command waits before it is re-sent: its ack is probably unread in that backlog. {@code PT0S} turns it off.
         */
        @WithDefault("PT5M")
        Duration ackLagGrace();

        /** How many due commands one sweep takes on. */
        @WithDefault("100")
        int sweepBatch();
    }

    interface Policies {

        /** The schedule period of a policy that names none. */
        @WithDefault("PT1H")
        Duration defaultSchedule();

        /** How often the scheduler looks for policies whose window has not run ({@code 1m}); {@code off} disables. */
        @WithDefault("1m")
        String checkEvery();
    }

    interface CertificateKey {

        /**
         * The directory of the signing keys (a mounted secret): {@code <kid>.pem} PKCS#8 Ed25519 private keys and
         * {@code <kid>.pub.pem} public keys of retired ones. Required: without it the service does not start.
         */
        Optional<String> keysDir();

        /** The id of the key in {@link #keysDir()} that signs new certificates; the others stay published. */
        Optional<String> currentKeyId();
    }
}
