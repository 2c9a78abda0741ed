package io.privacyplatform.support.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

import io.privacyplatform.testing.ManagementInterface;
import io.privacyplatform.events.TopicAccess;
import io.privacyplatform.events.TopicAccessSetup;
import io.privacyplatform.events.Topics;
import io.privacyplatform.support.testapp.WidgetService;
import io.privacyplatform.testing.KafkaTestCluster;
import io.privacyplatform.testing.PlatformTestResource;
import io.privacyplatform.testing.TestDatabase;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * The test application against a broker that requires SASL/SCRAM and authorizes by ACL, configured through nothing
 * but {@code kafka.security.protocol}, {@code kafka.sasl.mechanism} and {@code kafka.sasl.jaas.config}: the
 * readiness admin client, the outbox relay's transactional producer, a channel's consumer and its dead-letter
 * producer all log in as the application's principal, which has only the grants {@link TopicAccess} derives.
 */
@QuarkusTest
@TestProfile(SecuredKafkaTests.SecuredBroker.class)
class SecuredKafkaTests {

    /** The test application (service {@code support-test}, store {@code support-test-store}) as a principal. */
    static final TopicAccess.Client TEST_APP = new TopicAccess.Client("support-test", List.of(Topics.NOTIFICATION),
            List.of(Topics.NOTIFICATION), true, true);

    private static final Duration WAIT = Duration.ofSeconds(60);

    @Inject
    WidgetService widgets;

    @Test
    void shouldBeReadyWithTheApplicationsOwnLogin() {
        await().atMost(WAIT).until(() -> ManagementInterface.given().get("/q/health/ready").statusCode() == 200);
    }

    @Test
    void shouldRelayAndConsumeAnEventThroughSasl() {
        String eventId = QuarkusTransaction.requiringNew().call(() -> widgets.create("acme",
                "owner-" + UUID.randomUUID(), "w", Map.of("run", UUID.randomUUID().toString())).eventId());

        await().atMost(WAIT).until(() -> TestDatabase.count(
                "SELECT count(*) FROM notification_effect WHERE event_id = ?", eventId) == 1);
    }

    @Test
    void shouldDeadLetterPoisonThroughSasl() {
        String key = "poison-" + UUID.randomUUID();
        SecuredBroker.broker.send(new ProducerRecord<>(Topics.NOTIFICATION, key,
                "not a cloud event".getBytes(StandardCharsets.UTF_8)));

        await().atMost(WAIT).until(() -> SecuredBroker.broker.readAll(Topics.deadLetterOf(Topics.NOTIFICATION))
                .stream().map(ConsumerRecord::key).anyMatch(key::equals));
        assertThat(SecuredBroker.broker.readAll(Topics.NOTIFICATION)).extracting(ConsumerRecord::key).contains(key);
    }

    /** The platform's test resources, with the Kafka settings pointing at a secured broker instead. */
    public static class SecuredBroker implements QuarkusTestProfile, QuarkusTestResourceLifecycleManager {

        static KafkaTestCluster broker;
        private final PlatformTestResource platform = new PlatformTestResource();

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(SecuredBroker.class));
        }

        @Override
        public boolean disableGlobalTestResources() {
            return true;
        }

        @Override
        public void init(Map<String, String> initArgs) {
            platform.init(Map.of("database", "support_secured"));
        }

        @Override
        public Map<String, String> start() {
            Map<String, String> config = new HashMap<>(platform.start());
            broker = KafkaTestCluster.startSecured();
            String password = UUID.randomUUID().toString();
            try (Admin admin = broker.admin()) {
                admin.createTopics(Topics.specsWithDeadLetters().stream()
                        .map(spec -> new NewTopic(spec.name(), spec.partitions(), (short) 1).configs(spec.configs()))
                        .toList()).all().get(30, TimeUnit.SECONDS);
                TopicAccessSetup.apply(admin, Map.of(TEST_APP.principal(), password),
                        TopicAccess.grants(List.of(TEST_APP)));
            } catch (Exception e) {
                throw new IllegalStateException("could not set up the secured broker", e);
            }
            config.put("kafka.bootstrap.servers", broker.bootstrapServers());
            config.put("kafka.security.protocol", "SASL_PLAINTEXT");
            config.put("kafka.sasl.mechanism", KafkaTestCluster.SCRAM_MECHANISM);
            config.put("kafka.sasl.jaas.config", KafkaTestCluster.scramJaasConfig(TEST_APP.principal(), password));
            return config;
        }

        @Override
        public void stop() {
            if (broker != null) {
                broker.close();
                broker = null;
            }
            platform.stop();
        }
    }
}
