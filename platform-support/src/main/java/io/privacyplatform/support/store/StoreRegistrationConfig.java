package io.privacyplatform.support.store;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * How a service that holds personal data describes itself on retention-service's data map. Registration happens
 * only when {@code enabled}, a retention URL and a token are all given.
 */
@ConfigMapping(prefix = "privacy.store")
public interface StoreRegistrationConfig {

    @WithDefault("false")
    boolean enabled();

    /** The name commands are addressed to. */
    Optional<String> systemName();

    Optional<String> description();

    Optional<String> owner();

    /** Where the data is kept: EEA or elsewhere (retention-service checks residency against it). */
    @WithDefault("EEA")
    String region();

    Optional<List<String>> categories();

    Optional<List<String>> capabilities();

    @WithDefault("PT30S")
    Duration ackTimeout();

    /**
     * The identifiers the store finds a subject's data by ({@code subjectId}, {@code email}): retention-service sends
     * it a command only when the request has them all.
     */
    @WithDefault("subjectId")
    List<String> identifiers();

    Optional<String> transferSafeguard();

    /** retention-service's base URL. */
    Optional<String> retentionUrl();

    /**
     * The store's own bearer token: role {@code store}, tenant {@code platform}, its name ({@code upn}) the system
     * name. It may register and update this one system on the data map and do nothing else.
     */
    Optional<String> token();
}
