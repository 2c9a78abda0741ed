package io.privacyplatform.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.Test;

/** The access table's rules, and that it covers what each service's configuration actually consumes. */
class TopicAccessTest {

    private static final Pattern INCOMING_TOPIC = Pattern.compile("mp\\.messaging\\.incoming\\.([^.]+)\\.topic");

    @Test
    void shouldLetOnlyRetentionServiceWriteCommands() {
        assertThat(writersOf(Topics.COMMAND)).containsExactly(TopicAccess.RETENTION_SERVICE);
    }

    @Test
    void shouldLetOnlyStoresWriteAcks() {
        assertThat(writersOf(Topics.COMMAND_ACK)).containsExactlyInAnyOrder(TopicAccess.CONSENT_SERVICE,
                TopicAccess.REQUEST_SERVICE, TopicAccess.MAIL_LOG_STORE);
    }

    @Test
    void shouldLetOnlyTheConsumersOfATopicWriteItsDeadLetterTopic() {
        for (String topic : Topics.all()) {
            assertThat(writersOf(Topics.deadLetterOf(topic))).as(topic).containsExactlyInAnyOrderElementsOf(
                    readersOf(topic));
        }
    }

    @Test
    void shouldGrantNothingButReadAndWrite() {
        assertThat(TopicAccess.grants()).extracting(TopicAccess.Grant::operation).containsOnly(AclOperation.READ,
                AclOperation.WRITE);
        assertThat(TopicAccess.grants()).filteredOn(g -> g.resource() == ResourceType.TOPIC)
                .extracting(TopicAccess.Grant::pattern).containsOnly(PatternType.LITERAL);
    }

    @Test
    void shouldGrantEachRelayItsOwnTransactionalIds() {
        assertThat(TopicAccess.grants()).filteredOn(g -> g.resource() == ResourceType.TRANSACTIONAL_ID)
                .extracting(g -> g.principal() + " " + g.pattern() + " " + g.name())
                .containsExactlyInAnyOrder(
                        "consent-service PREFIXED outbox-relay-consent-service-",
                        "request-service PREFIXED outbox-relay-request-service-",
                        "retention-service PREFIXED outbox-relay-retention-service-",
                        "mail-log-store PREFIXED outbox-relay-mail-log-store-");
    }

    @Test
    void shouldGiveAnExternalStoreItsCommandsAndAcksOnly() {
        assertThat(TopicAccess.grants(List.of(TopicAccess.externalStore("crm")))).extracting(Object::toString)
                .containsExactlyInAnyOrder(
                        "crm GROUP PREFIXED store-crm READ",
                        "crm TOPIC LITERAL privacy.command.v1 READ",
                        "crm TOPIC LITERAL privacy.command.v1.dlq WRITE",
                        "crm TOPIC LITERAL privacy.command.ack.v1 WRITE");
    }

    @Test
    void shouldLetOnlyConsentSubscribersAcknowledgeAppliedConsentAndOnlyConsentServiceReadIt() {
        assertThat(writersOf(Topics.CONSENT_APPLIED)).containsExactly(TopicAccess.MAIL_LOG_STORE);
        assertThat(readersOf(Topics.CONSENT_APPLIED)).containsExactly(TopicAccess.CONSENT_SERVICE);
        assertThat(TopicAccess.grants(List.of(TopicAccess.externalConsentSubscriber("ads"))))
                .extracting(Object::toString).containsExactlyInAnyOrder(
                        "ads GROUP PREFIXED consent-subscriber-ads READ",
                        "ads TOPIC LITERAL privacy.consent.changed.v1 READ",
                        "ads TOPIC LITERAL privacy.consent.changed.v1.dlq WRITE",
                        "ads TOPIC LITERAL privacy.consent.applied.v1 WRITE");
    }

    /**
     * Every incoming channel of every service reads a topic its principal may read, in a group it may use, and may
     * dead-letter to the topic's {@code .dlq}: the table cannot drift from the services' configuration unnoticed.
     */
    @Test
    void shouldCoverEveryIncomingChannelOfEveryService() throws IOException {
        for (String service : TopicAccess.principals()) {
            Properties config = serviceConfig(service);
            int channels = 0;
            for (String name : config.stringPropertyNames()) {
                Matcher channel = INCOMING_TOPIC.matcher(name);
                if (!channel.matches()) {
                    continue;
                }
                channels++;
                String prefix = "mp.messaging.incoming." + channel.group(1) + ".";
                String topic = config.getProperty(name);
                String group = config.getProperty(prefix + "group.id")
                        .replace("${mail-log.system-name:mail-log-store}", TopicAccess.MAIL_LOG_STORE);
                assertThat(readersOf(topic)).as(service + " reads " + topic).contains(service);
                assertThat(writersOf(Topics.deadLetterOf(topic))).as(service + " dead-letters " + topic)
                        .contains(service);
                assertThat(config.getProperty(prefix + "dead-letter-queue.topic")).isEqualTo(Topics.deadLetterOf(topic));
                assertThat(mayUseGroup(service, group)).as(service + " uses group " + group).isTrue();
            }
            assertThat(channels).as(service + "'s incoming channels").isPositive();
        }
    }

    @Test
    void shouldPrintOneLinePerGrant() {
        assertThat(TopicAccess.grants()).extracting(Object::toString)
                .contains("retention-service TOPIC LITERAL privacy.command.v1 WRITE",
                        "mail-log-store GROUP PREFIXED store-mail-log-store READ");
    }

    private static List<String> writersOf(String topic) {
        return principalsWith(topic, AclOperation.WRITE);
    }

    private static List<String> readersOf(String topic) {
        return principalsWith(topic, AclOperation.READ);
    }

    private static List<String> principalsWith(String topic, AclOperation operation) {
        return TopicAccess.grants().stream().filter(g -> g.resource() == ResourceType.TOPIC
                && g.name().equals(topic) && g.operation() == operation).map(TopicAccess.Grant::principal).toList();
    }

    private static boolean mayUseGroup(String principal, String group) {
        return TopicAccess.grants().stream().anyMatch(g -> g.principal().equals(principal)
                && g.resource() == ResourceType.GROUP && g.operation() == AclOperation.READ
                && (g.pattern() == PatternType.LITERAL ? group.equals(g.name()) : group.startsWith(g.name())));
    }

    private static Properties serviceConfig(String service) throws IOException {
        Path file = Path.of("..", service, "src", "main", "resources", "application.properties");
        Properties config = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            config.load(reader);
        }
        return config;
    }
}
