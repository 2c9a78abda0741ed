package io.privacyplatform.maillog.config;

import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

@ConfigMapping(prefix = "mail-log")
public interface MailLogConfig {

    /** The name the platform addresses commands to, and this store registers under. */
    @WithDefault("mail-log-store")
    String systemName();

    /** How long headers (and sampled bodies) stay visible to the account; the retention policy deletes them. */
    @WithDefault("P35D")
    Duration visibleFor();

    /** Where this store keeps its data: EEA or elsewhere (the residency rule of retention-service checks it). */
    @WithDefault("EEA")
    String region();

    Registration registration();

    interface Registration {

        /** retention-service's base URL; without it (or a token) the store does not register itself. */
        Optional<String> retentionUrl();

        /** A bearer token of a platform admin, allowed to register systems. */
        Optional<String> token();

        @WithDefault("PT30S")
        Duration ackTimeout();
    }
}
