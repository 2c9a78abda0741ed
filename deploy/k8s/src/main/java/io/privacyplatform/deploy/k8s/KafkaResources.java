package io.privacyplatform.deploy.k8s;

import static io.privacyplatform.deploy.k8s.PlatformServices.KAFKA_CLUSTER;
import static io.privacyplatform.deploy.k8s.PlatformServices.KAFKA_PORT;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.privacyplatform.events.TopicAccess;
import io.privacyplatform.events.TopicAccess.Client;
import io.privacyplatform.events.TopicAccess.Grant;
import io.privacyplatform.events.TopicSpec;
import io.privacyplatform.events.Topics;
import io.strimzi.api.kafka.model.common.Constants;
import io.strimzi.api.kafka.model.kafka.Kafka;
import io.strimzi.api.kafka.model.kafka.KafkaBuilder;
import io.strimzi.api.kafka.model.kafka.PersistentClaimStorageBuilder;
import io.strimzi.api.kafka.model.kafka.listener.GenericKafkaListenerBuilder;
import io.strimzi.api.kafka.model.kafka.listener.KafkaListenerAuthenticationScramSha512;
import io.strimzi.api.kafka.model.kafka.listener.KafkaListenerType;
import io.strimzi.api.kafka.model.kafka.KafkaAuthorizationSimple;
import io.strimzi.api.kafka.model.nodepool.KafkaNodePool;
import io.strimzi.api.kafka.model.nodepool.KafkaNodePoolBuilder;
import io.strimzi.api.kafka.model.nodepool.ProcessRoles;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import io.strimzi.api.kafka.model.topic.KafkaTopicBuilder;
import io.strimzi.api.kafka.model.user.KafkaUser;
import io.strimzi.api.kafka.model.user.KafkaUserAuthorizationSimpleBuilder;
import io.strimzi.api.kafka.model.user.KafkaUserBuilder;
import io.strimzi.api.kafka.model.user.KafkaUserScramSha512ClientAuthentication;
import io.strimzi.api.kafka.model.user.acl.AclOperation;
import io.strimzi.api.kafka.model.user.acl.AclResourcePatternType;
import io.strimzi.api.kafka.model.user.acl.AclRule;
import io.strimzi.api.kafka.model.user.acl.AclRuleBuilder;
import io.strimzi.api.kafka.model.user.acl.AclRuleGroupResourceBuilder;
import io.strimzi.api.kafka.model.user.acl.AclRuleResource;
import io.strimzi.api.kafka.model.user.acl.AclRuleTopicResourceBuilder;
import io.strimzi.api.kafka.model.user.acl.AclRuleTransactionalIdResourceBuilder;

/**
 * The Strimzi resources: the KRaft cluster (one dual-role node pool), a {@code KafkaTopic} for every topic and
 * dead-letter twin of {@link Topics#specsWithDeadLetters()}, and a SCRAM {@code KafkaUser} for every client of
 * {@link TopicAccess#clients()} with exactly the ACLs of {@link TopicAccess#grants()}. The base is production-sized
 * (3 nodes, replication 3, {@code min.insync.replicas=2}); the dev overlay shrinks it to one node.
 */
final class KafkaResources {

    static final int REPLICAS = 3;
    static final int MIN_IN_SYNC = 2;
    static final String NODE_POOL = "dual-role";
    static final String CLUSTER_LABEL = "strimzi.io/cluster";
    /** The API version the manifests are written in (ManifestGenerator sets it; some model classes say v1beta2). */
    static final String API_VERSION = Kafka.RESOURCE_GROUP + "/" + Constants.V1;

    private KafkaResources() {
    }

    static Kafka cluster() {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("default.replication.factor", REPLICAS);
        config.put("min.insync.replicas", MIN_IN_SYNC);
        config.put("offsets.topic.replication.factor", REPLICAS);
        config.put("transaction.state.log.replication.factor", REPLICAS);
        config.put("transaction.state.log.min.isr", MIN_IN_SYNC);
        // Topics exist only as KafkaTopic resources: a typo in a producer must not create one.
        config.put("auto.create.topics.enable", false);
        return new KafkaBuilder()
                .withNewMetadata().withName(KAFKA_CLUSTER).endMetadata()
                .withNewSpec()
                .withNewKafka()
                .withListeners(new GenericKafkaListenerBuilder().withName("scram").withPort(KAFKA_PORT)
                        .withType(KafkaListenerType.INTERNAL).withTls(false)
                        .withAuth(new KafkaListenerAuthenticationScramSha512()).build())
                .withAuthorization(new KafkaAuthorizationSimple())
                .withConfig(config)
                .endKafka()
                .withNewEntityOperator().withNewTopicOperator().endTopicOperator().withNewUserOperator()
                .endUserOperator().endEntityOperator()
                .endSpec()
                .build();
    }

    static KafkaNodePool nodePool() {
        return new KafkaNodePoolBuilder()
                .withNewMetadata().withName(NODE_POOL).withLabels(Map.of(CLUSTER_LABEL, KAFKA_CLUSTER)).endMetadata()
                .withNewSpec()
                .withReplicas(REPLICAS)
                .withRoles(ProcessRoles.CONTROLLER, ProcessRoles.BROKER)
                .withStorage(new PersistentClaimStorageBuilder().withSize("20Gi").withDeleteClaim(false).build())
                .endSpec()
                .build();
    }

    static List<KafkaTopic> topics() {
        List<KafkaTopic> topics = new ArrayList<>();
        for (TopicSpec spec : Topics.specsWithDeadLetters()) {
            Map<String, Object> config = new LinkedHashMap<>();
            // Numbers as numbers (retention.ms: 604800000), as an operator would write them.
            new TreeMap<>(spec.configs()).forEach((key, value) -> config.put(key, value.matches("-?\\d+") ? Long.valueOf(value)
                    : value));
            config.put("min.insync.replicas", MIN_IN_SYNC);
            topics.add(new KafkaTopicBuilder()
                    .withNewMetadata().withName(resourceName(spec.name()))
                    .withLabels(Map.of(CLUSTER_LABEL, KAFKA_CLUSTER)).endMetadata()
                    .withNewSpec().withTopicName(spec.name()).withPartitions(spec.partitions())
                    .withReplicas(REPLICAS).withConfig(config).endSpec()
                    .build());
        }
        return topics;
    }

    /** Topic names have dots; resource names may not start or end with one and are better without. */
    static String resourceName(String topic) {
        return topic.replace('.', '-');
    }

    static List<KafkaUser> users() {
        List<KafkaUser> users = new ArrayList<>();
        for (Client client : TopicAccess.clients()) {
            List<AclRule> acls = new ArrayList<>();
            for (Grant grant : TopicAccess.grants(List.of(client))) {
                acls.add(new AclRuleBuilder().withResource(resource(grant))
                        .withOperations(AclOperation.valueOf(grant.operation().name())).build());
            }
            users.add(new KafkaUserBuilder()
                    .withNewMetadata().withName(client.principal()).withLabels(Map.of(CLUSTER_LABEL, KAFKA_CLUSTER))
                    .endMetadata()
                    .withNewSpec()
                    .withAuthentication(new KafkaUserScramSha512ClientAuthentication())
                    .withAuthorization(new KafkaUserAuthorizationSimpleBuilder().withAcls(acls).build())
                    .endSpec()
                    .build());
        }
        return users;
    }

    private static AclRuleResource resource(Grant grant) {
        AclResourcePatternType pattern = switch (grant.pattern()) {
            case LITERAL -> AclResourcePatternType.LITERAL;
            case PREFIXED -> AclResourcePatternType.PREFIX;
            default -> throw new IllegalArgumentException("no Strimzi pattern for " + grant);
        };
        return switch (grant.resource()) {
            case TOPIC -> new AclRuleTopicResourceBuilder().withName(grant.name()).withPatternType(pattern).build();
            case GROUP -> new AclRuleGroupResourceBuilder().withName(grant.name()).withPatternType(pattern).build();
            case TRANSACTIONAL_ID -> new AclRuleTransactionalIdResourceBuilder().withName(grant.name())
                    .withPatternType(pattern).build();
            default -> throw new IllegalArgumentException("no Strimzi resource for " + grant);
        };
    }
}
