package io.privacyplatform.events.subscriber;

import java.nio.file.Path;
import java.security.PrivateKey;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import io.privacyplatform.events.Ed25519Keys;
import io.privacyplatform.events.keys.SubjectKeys;

/**
 * What every subscriber of the kit is configured with, whatever it reads and acknowledges: the broker, the system's
 * name, its consumer group, its Ed25519 signing key, the Kafka client settings and its timings. The
 * {@link CommandSubscriberBuilder} and the {@link ConsentSubscriberBuilder} add their handler and their memory of what
 * was acknowledged.
 *
 * @param <B> the concrete builder, returned by every setter so a chain keeps to its own kind
 */
public abstract class SubscriberBuilder<B extends SubscriberBuilder<B>> {

    String bootstrapServers;
    String systemName;
    String groupId;
    PrivateKey ackSigningKey;
    final Map<String, Object> clientProperties = new HashMap<>();
    final Map<String, Object> consumerProperties = new HashMap<>();
    final Map<String, Object> producerProperties = new HashMap<>();
    Clock clock = Clock.systemUTC();
    SubjectKeys subjectKeys;
    Duration pollTimeout = Duration.ofMillis(500);
    Duration retryBackoff = Duration.ofSeconds(1);
    Duration closeTimeout = Duration.ofSeconds(10);

    SubscriberBuilder() {
    }

    private B self() {
        @SuppressWarnings("unchecked")
        B self = (B) this;
        return self;
    }

    public B bootstrapServers(String bootstrapServers) {
        this.bootstrapServers = bootstrapServers;
        return self();
    }

    /**
     * The system's name: the one commands are addressed to ({@code PrivacyCommand.targetSystem}), and the one its
     * acknowledgements name, e.g. {@code mail-log-store}.
     */
    public B systemName(String systemName) {
        this.systemName = systemName;
        return self();
    }

    /** Defaults to {@code store-<systemName>} (commands) or {@code consent-subscriber-<systemName>} (consent). */
    public B groupId(String groupId) {
        this.groupId = groupId;
        return self();
    }

    /**
     * The system's Ed25519 private key: every acknowledgement is signed with it, and the platform accepts one only
     * when it verifies with the public key registered for the system (retention-service's data map for command
     * acks, consent-service's consent subscribers for applied consents).
     */
    public B ackSigningKey(PrivateKey key) {
        this.ackSigningKey = key;
        return self();
    }

    /** {@link #ackSigningKey(PrivateKey)} from a PKCS#8 PEM file ({@code openssl genpkey -algorithm ed25519}). */
    public B ackSigningKeyFile(Path pemFile) {
        this.ackSigningKey = Ed25519Keys.readPrivate(pemFile);
        return self();
    }

    /**
     * Extra settings for both the consumer and the producer (security, client ids …). Settings the kit's
     * guarantees depend on (auto commit, offset reset, isolation level, acks, idempotence, serializers) cannot
     * be changed: a contradicting value is rejected when building.
     */
    public B clientProperties(Map<String, ?> properties) {
        clientProperties.putAll(properties);
        return self();
    }

    public B clientProperty(String key, Object value) {
        clientProperties.put(key, value);
        return self();
    }

    /** Extra settings for the consumer only (e.g. {@code max.poll.records}, default 50). */
    public B consumerProperties(Map<String, ?> properties) {
        consumerProperties.putAll(properties);
        return self();
    }

    /** Extra settings for the producer only (e.g. {@code delivery.timeout.ms}, default 30 s). */
    public B producerProperties(Map<String, ?> properties) {
        producerProperties.putAll(properties);
        return self();
    }

    /**
     * The platform's key store ({@code JdbcSubjectKeys.fromSettings(...)}): the personal fields of the events read are
     * sealed with the subjects' data keys, and of the acknowledgements written (an export's data) too. Required on
     * the platform; without it a sealed event cannot be read and goes to the {@code .dlq}. An event whose subject's
     * key is destroyed (the subject was erased) is skipped and its offset committed.
     */
    public B subjectKeys(SubjectKeys keys) {
        this.subjectKeys = keys;
        return self();
    }

    /** For the acknowledgement's time ({@code completedAt}, {@code appliedAt}) and its {@code ce_time}. */
    public B clock(Clock clock) {
        this.clock = clock;
        return self();
    }

    /** How long one poll waits for records (default 500 ms). */
    public B pollTimeout(Duration pollTimeout) {
        this.pollTimeout = pollTimeout;
        return self();
    }

    /** How long to wait before taking a record again whose acknowledgement could not be made (default 1 s). */
    public B retryBackoff(Duration retryBackoff) {
        this.retryBackoff = retryBackoff;
        return self();
    }

    /** How long {@code close()} waits for the loop to end (default 10 s). */
    public B closeTimeout(Duration closeTimeout) {
        this.closeTimeout = closeTimeout;
        return self();
    }
}
