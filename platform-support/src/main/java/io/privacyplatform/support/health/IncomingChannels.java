package io.privacyplatform.support.health;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.Config;

/**
 * The Kafka channels this service consumes, read from its {@code mp.messaging.incoming.*} configuration: the one
 * source for which consumer groups the lag covers and which dead-letter topics the admin endpoint may read and
 * replay. A channel that is disabled or not a Kafka channel is not one of them.
 */
@ApplicationScoped
public class IncomingChannels {

    private static final String PREFIX = "mp.messaging.incoming.";
    private static final String CONNECTOR_SUFFIX = ".connector";
    private static final String KAFKA_CONNECTOR = "smallrye-kafka";
    private static final String CONNECTOR_DEFAULTS = "mp.messaging.connector." + KAFKA_CONNECTOR + ".";

    /** One consumed channel; {@code deadLetterTopic} is null when the channel names none. */
    public record Channel(String name, String topic, String groupId, String deadLetterTopic) {
    }

    @Inject
    Config config;

    private volatile List<Channel> channels;

    public List<Channel> all() {
        List<Channel> known = channels;
        if (known == null) {
            known = read();
            channels = known;
        }
        return known;
    }

    /** The dead-letter topics of this service's channels, sorted. */
    public Set<String> deadLetterTopics() {
        Set<String> topics = new TreeSet<>();
        for (Channel channel : all()) {
            if (channel.deadLetterTopic() != null) {
                topics.add(channel.deadLetterTopic());
            }
        }
        return topics;
    }

    private List<Channel> read() {
        List<Channel> found = new ArrayList<>();
        for (String property : config.getPropertyNames()) {
            if (!property.startsWith(PREFIX) || !property.endsWith(CONNECTOR_SUFFIX)) {
                continue;
            }
            String name = property.substring(PREFIX.length(), property.length() - CONNECTOR_SUFFIX.length());
            if (name.contains(".") || !KAFKA_CONNECTOR.equals(value(PREFIX + name + CONNECTOR_SUFFIX).orElse(""))
                    || !Boolean.parseBoolean(channelValue(name, "enabled").orElse("true"))) {
                continue;
            }
            String topic = value(PREFIX + name + ".topic").orElse(name);
            // SmallRye's order: the channel, then the connector's defaults, then the kafka.* defaults; Quarkus
            // names a group after the application when none is configured.
            String group = channelValue(name, "group.id")
                    .or(() -> value("quarkus.application.name")).orElse(name);
            String deadLetter = channelValue(name, "dead-letter-queue.topic").orElse(null);
            found.add(new Channel(name, topic, group, deadLetter));
        }
        found.sort(Comparator.comparing(Channel::name));
        return List.copyOf(found);
    }

    private Optional<String> channelValue(String channel, String attribute) {
        return value(PREFIX + channel + "." + attribute)
                .or(() -> value(CONNECTOR_DEFAULTS + attribute))
                .or(() -> value("kafka." + attribute));
    }

    private Optional<String> value(String property) {
        return config.getOptionalValue(property, String.class).filter(v -> !v.isBlank());
    }
}
