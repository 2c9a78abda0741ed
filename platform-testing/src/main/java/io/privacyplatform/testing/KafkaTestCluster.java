package io.privacyplatform.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.security.auth.SecurityProtocol;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.test.JaasUtils;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

import kafka.server.BrokerServer;

/**
 * A real KRaft broker (one combined broker/controller node) in the test JVM, from Kafka's own test kit. The broker
 * can be stopped and started again on the same port, so tests can show what happens during an outage.
 * <p>
 * {@link #start()} gives a PLAINTEXT broker that lets every client do everything. {@link #startSecured()} gives one
 * as production runs it: a SASL client listener where clients log in with SCRAM-SHA-512, and the
 * StandardAuthorizer refusing whatever no ACL allows. The test kit's own {@code plain-admin} (SASL/PLAIN, a
 * super user) is this class's client for topics and ACLs; the principals and ACLs under test are created by the
 * test (for the platform: privacy-events' {@code TopicAccessSetup}, the code the local run uses too). The controller
 * listener is SASL/PLAIN too, so no unauthenticated principal needs rights anywhere.
 */
public final class KafkaTestCluster implements AutoCloseable {

    /** The SASL mechanism the platform's clients use. */
    public static final String SCRAM_MECHANISM = "SCRAM-SHA-512";

    private final KafkaClusterTestKit cluster;
    private final boolean secured;

    private KafkaTestCluster(KafkaClusterTestKit cluster, boolean secured) {
        this.cluster = cluster;
        this.secured = secured;
    }

    /** A PLAINTEXT broker without authorization: what most tests need. */
    public static KafkaTestCluster start() {
        return start(false);
    }

    /**
     * A broker whose client listener requires SASL (SCRAM-SHA-512 for clients, PLAIN for the test kit's super user)
     * and whose authorizer denies what no ACL allows.
     */
    public static KafkaTestCluster startSecured() {
        return start(true);
    }

    private static KafkaTestCluster start(boolean secured) {
        try {
            TestKitNodes.Builder nodes = new TestKitNodes.Builder()
                    .setCombined(true)
                    .setNumBrokerNodes(1)
                    .setNumControllerNodes(1);
            if (secured) {
                nodes.setBrokerSecurityProtocol(SecurityProtocol.SASL_PLAINTEXT)
                        .setControllerSecurityProtocol(SecurityProtocol.SASL_PLAINTEXT);
            }
            KafkaClusterTestKit.Builder builder = new KafkaClusterTestKit.Builder(nodes.build())
                    .setConfigProp("auto.create.topics.enable", "false")
                    .setConfigProp("offsets.topic.replication.factor", "1")
                    .setConfigProp("offsets.topic.num.partitions", "3")
                    .setConfigProp("transaction.state.log.replication.factor", "1")
                    .setConfigProp("transaction.state.log.min.isr", "1")
                    .setConfigProp("group.initial.rebalance.delay.ms", "0");
            if (secured) {
                // The kit sets up SASL/PLAIN on both listeners (its JAAS file; plain-admin, a super user, for the
                // broker's own connections; StandardAuthorizer; no access without an ACL). SCRAM-SHA-512 is added
                // for the clients under test, as the local run's broker offers it.
                builder.setConfigProp("sasl.enabled.mechanisms", "PLAIN," + SCRAM_MECHANISM);
            }
            KafkaClusterTestKit cluster = builder.build();
            cluster.format();
            cluster.startup();
            cluster.waitForReadyBrokers();
            return new KafkaTestCluster(cluster, secured);
        } catch (Exception e) {
            throw new IllegalStateException("could not start the in-process Kafka broker", e);
        }
    }

    public String bootstrapServers() {
        return cluster.bootstrapServers();
    }

    /** Creates each topic that does not exist yet, with {@code partitions} partitions. */
    public void createTopics(Collection<String> names, int partitions) {
        createTopics(names, partitions, Map.of());
    }

    public void createTopics(Collection<String> names, int partitions, Map<String, String> configs) {
        try (Admin admin = admin()) {
            Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            List<NewTopic> missing = new ArrayList<>();
            for (String name : names) {
                if (!existing.contains(name)) {
                    missing.add(new NewTopic(name, partitions, (short) 1).configs(configs));
                }
            }
            if (!missing.isEmpty()) {
                admin.createTopics(missing).all().get(30, TimeUnit.SECONDS);
            }
        } catch (Exception e) {
            throw new IllegalStateException("could not create topics " + names, e);
        }
    }

    /** An admin client; on a secured broker, logged in as the super user. */
    public Admin admin() {
        Properties props = superUserProperties();
        return Admin.create(props);
    }

    /**
     * The client settings a principal logs in with on a {@link #startSecured() secured} broker (SCRAM-SHA-512):
     * bootstrap servers and the security settings, as a service's configuration would give them.
     */
    public Map<String, Object> clientProperties(String user, String password) {
        requireSecured();
        Map<String, Object> props = new HashMap<>();
        props.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        props.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, SecurityProtocol.SASL_PLAINTEXT.name);
        props.put(SaslConfigs.SASL_MECHANISM, SCRAM_MECHANISM);
        props.put(SaslConfigs.SASL_JAAS_CONFIG, scramJaasConfig(user, password));
        return props;
    }

    /** The {@code sasl.jaas.config} value of a SCRAM login. */
    public static String scramJaasConfig(String user, String password) {
        return "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + user
                + "\" password=\"" + password + "\";";
    }

    /** Creates (or changes the password of) a SCRAM-SHA-512 user on a secured broker. */
    public void createScramUser(String user, String password) {
        requireSecured();
        try (Admin admin = admin()) {
            admin.alterUserScramCredentials(List.of(new UserScramCredentialUpsertion(user,
                    new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 8192), password)))
                    .all().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("could not create the SCRAM user " + user, e);
        }
    }

    private Properties superUserProperties() {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        if (secured) {
            props.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, SecurityProtocol.SASL_PLAINTEXT.name);
            props.put(SaslConfigs.SASL_MECHANISM, "PLAIN");
            props.put(SaslConfigs.SASL_JAAS_CONFIG, "org.apache.kafka.common.security.plain.PlainLoginModule required "
                    + "username=\"" + JaasUtils.KAFKA_PLAIN_ADMIN + "\" password=\""
                    + JaasUtils.KAFKA_PLAIN_ADMIN_PASSWORD + "\";");
        }
        return props;
    }

    private void requireSecured() {
        if (!secured) {
            throw new IllegalStateException("this broker was started without SASL (use KafkaTestCluster.startSecured)");
        }
    }

    /**
     * Sends the records in order with {@code acks=all} and returns once the broker has them all: what a test
     * needs to put events (or poison) on a topic, e.g. {@code send(envelope.toRecord(topic))}.
     */
    @SafeVarargs
    public final void send(ProducerRecord<String, byte[]>... records) {
        Properties props = superUserProperties();
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(props, new StringSerializer(),
                new ByteArraySerializer())) {
            for (ProducerRecord<String, byte[]> record : records) {
                producer.send(record).get(30, TimeUnit.SECONDS);
            }
        } catch (Exception e) {
            throw new IllegalStateException("could not send to the test broker", e);
        }
    }

    /** Every record now on {@code topic}, from the beginning up to the current end of each partition. */
    public List<ConsumerRecord<String, byte[]>> readAll(String topic) {
        return readAll(superUserProperties(), topic, Duration.ofSeconds(30));
    }

    /**
     * Every committed record now on {@code topic} of the broker {@code clientProperties} connect to (any cluster,
     * e.g. the local run's), from the beginning up to the end each partition had when reading started.
     *
     * @throws IllegalStateException when the end is not reached {@code within}
     */
    public static List<ConsumerRecord<String, byte[]>> readAll(Properties clientProperties, String topic,
            Duration within) {
        Properties props = new Properties();
        props.putAll(clientProperties);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(30));
            List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
            long deadline = System.nanoTime() + within.toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("could not read " + topic + " to its end in " + within);
                }
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
            return records;
        }
    }

    /** Stops the broker (the controller keeps running): clients see an outage until {@link #startBroker()}. */
    public void stopBroker() {
        for (BrokerServer broker : cluster.brokers().values()) {
            broker.shutdown();
            broker.awaitShutdown();
        }
    }

    /** Starts the broker again on the port it had, and waits until it serves. */
    public void startBroker() {
        try {
            for (BrokerServer broker : cluster.brokers().values()) {
                broker.startup();
            }
            cluster.waitForReadyBrokers();
        } catch (Exception e) {
            throw new IllegalStateException("could not restart the broker", e);
        }
    }

    @Override
    public void close() {
        try {
            cluster.close();
        } catch (Exception e) {
            throw new IllegalStateException("could not stop the in-process Kafka broker", e);
        }
    }
}
