package io.privacyplatform.maillog.config;

import java.time.Duration;

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

    /**
     * The key of the 1-in-100 sampling hash ({@code MailSampling}); required outside dev and test (the environment's
     * {@code MAIL_LOG_SAMPLING_SECRET}). Changing it changes which future messages are sampled, not stored ones.
     */
    String samplingSecret();
}
