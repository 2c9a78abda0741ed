package io.privacyplatform.events.subscriber;

import java.nio.file.Path;
import java.security.PrivateKey;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import io.privacyplatform.events.Ed25519Keys;

/**
 * Configures a {@link CommandSubscriber}; {@link CommandSubscriber#builder()} makes one. Required: the bootstrap
 * servers, the system name, the handler, the {@link AcknowledgedCommands} and the ack signing key.
 */
public final class CommandSubscriberBuilder {

    String bootstrapServers;
    String systemName;
    String groupId;
    CommandHandler handler;
    AcknowledgedCommands acknowledgedCommands;
    PrivateKey ackSigningKey;
    final Map<String, Object> clientProperties = new HashMap<>();
    final Map<String, Object> consumerProperties = new HashMap<>();
    final Map<String, Object> producerProperties = new HashMap<>();
    Clock clock = Clock.systemUTC();
    Duration pollTimeout = Duration.ofMillis(500);
    Duration retryBackoff = Duration.ofSeconds(1);
    Duration closeTimeout = Duration.ofSeconds(10);

    CommandSubscriberBuilder() {
    }

    public CommandSubscriberBuilder bootstrapServers(String bootstrapServers) {
        this.bootstrapServers = bootstrapServers;
        return this;
    }

    /** The name commands are addressed to ({@code PrivacyCommand.targetSystem}), e.g. {@code mail-log-store}. */
    public CommandSubscriberBuilder systemName(String systemName) {
        this.systemName = systemName;
        return this;
    }

    /** Defaults to {@code store-<systemName>}. */
    public CommandSubscriberBuilder groupId(String groupId) {
        this.groupId = groupId;
        return this;
    }

    public CommandSubscriberBuilder handler(CommandHandler handler) {
        this.handler = handler;
        return this;
    }

    public CommandSubscriberBuilder acknowledgedCommands(AcknowledgedCommands acknowledgedCommands) {
        this.acknowledgedCommands = acknowledgedCommands;
        return this;
    }

    /**
     * The store's Ed25519 private key: every ack is signed with it, and retention-service accepts an ack only when
     * it verifies with the public key registered for the store on the data map ({@code ackPublicKey}).
     */
    public CommandSubscriberBuilder ackSigningKey(PrivateKey key) {
        this.ackSigningKey = key;
        return this;
    }

    /** {@link #ackSigningKey(PrivateKey)} from a PKCS#8 PEM file ({@code openssl genpkey -algorithm ed25519}). */
    public CommandSubscriberBuilder ackSigningKeyFile(Path pemFile) {
        this.ackSigningKey = Ed25519Keys.readPrivate(pemFile);
        return this;
    }

    /**
     * Extra settings for both the consumer and the producer (security, client ids …). Settings the kit's
     * guarantees depend on (auto commit, offset reset, isolation level, acks, idempotence, serializers) cannot
     * be changed: a contradicting value is rejected when building.
     */
    public CommandSubscriberBuilder clientProperties(Map<String, ?> properties) {
        clientProperties.putAll(properties);
        return this;
    }

    public CommandSubscriberBuilder clientProperty(String key, Object value) {
        clientProperties.put(key, value);
        return this;
    }

    /** Extra settings for the consumer only (e.g. {@code max.poll.records}, default 50). */
    public CommandSubscriberBuilder consumerProperties(Map<String, ?> properties) {
        consumerProperties.putAll(properties);
        return this;
    }

    /** Extra settings for the producer only (e.g. {@code delivery.timeout.ms}, default 30 s). */
    public CommandSubscriberBuilder producerProperties(Map<String, ?> properties) {
        producerProperties.putAll(properties);
        return this;
    }

    /** For {@code completedAt} and the ack's {@code ce_time}. */
    public CommandSubscriberBuilder clock(Clock clock) {
        this.clock = clock;
        return this;
    }

    /** How long one poll waits for records (default 500 ms). */
    public CommandSubscriberBuilder pollTimeout(Duration pollTimeout) {
        this.pollTimeout = pollTimeout;
        return this;
    }

    /** How long to wait before taking a record again whose ack could not be published (default 1 s). */
    public CommandSubscriberBuilder retryBackoff(Duration retryBackoff) {
        this.retryBackoff = retryBackoff;
        return this;
    }

    /** How long {@link CommandSubscriber#close()} waits for the loop to end (default 10 s). */
    public CommandSubscriberBuilder closeTimeout(Duration closeTimeout) {
        this.closeTimeout = closeTimeout;
        return this;
    }

    public CommandSubscriber build() {
        return new CommandSubscriber(this);
    }
}
