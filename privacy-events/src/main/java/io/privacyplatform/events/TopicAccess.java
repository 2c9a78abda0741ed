package io.privacyplatform.events;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

/**
 * Who may do what on the platform's topics: one Kafka principal per service and per store, and the ACLs that follow
 * from what each one consumes and publishes. It is the one source of the access table: the local run applies it
 * ({@link TopicAccessSetup}), the tests apply it to a secured test broker, and {@link #main} prints it for
 * deployment resources and docs/security.md.
 * <p>
 * The rules, derived rather than listed, so that a new consumer cannot forget one:
 * <ul>
 * <li>a client READs each topic it consumes, with its own consumer group (the group named like the principal), and
 * WRITEs that topic's {@code .dlq}: a dead-letter topic is writable by its consumers only;</li>
 * <li>a client WRITEs the topics it publishes; only retention-service publishes {@code privacy.command.v1};</li>
 * <li>a store READs {@code privacy.command.v1} in its groups {@code store-<name>…}, WRITEs its
 * {@code .dlq}, and is the only kind of client that WRITEs {@code privacy.command.ack.v1};</li>
 * <li>a consent subscriber READs {@code privacy.consent.changed.v1} in its groups {@code consent-subscriber-<name>…},
 * WRITEs its {@code .dlq}, and is the only kind of client that WRITEs {@code privacy.consent.applied.v1};</li>
 * <li>a client with an outbox relay WRITEs the transactional ids {@code outbox-relay-<name>-…} (one per relay
 * instance).</li>
 * </ul>
 * Idempotent producers (the relay's, the kit's, the dead-letter producers) need no cluster-wide grant: Kafka allows
 * idempotence to whoever may write a topic (KIP-679).
 */
public final class TopicAccess {

    public static final String CONSENT_SERVICE = "consent-service";
    public static final String REQUEST_SERVICE = "request-service";
    public static final String RETENTION_SERVICE = "retention-service";
    public static final String MAIL_LOG_STORE = "mail-log-store";

    /** Consumer groups of a store start with this and the store's name (the kit's default is exactly that). */
    public static final String STORE_GROUP_PREFIX = "store-";

    /**
     * Consumer groups of a consent subscriber start with this and its name (the kit's default is exactly that):
     * apart from a store's, so one system can be both without its commands and its consent decisions sharing offsets.
     */
    public static final String CONSENT_SUBSCRIBER_GROUP_PREFIX = "consent-subscriber-";

    /** Transactional ids of a service's outbox relay start with this and the service's name, then a dash. */
    public static final String RELAY_TRANSACTIONAL_ID_PREFIX = "outbox-relay-";

    /**
     * What one principal does with the topics.
     *
     * @param principal the Kafka user name (SCRAM), also its consumer group for {@code consumes}
     * @param consumes topics it reads (besides the commands a store reads)
     * @param publishes topics it writes (besides the acks a store writes and the dead-letter topics)
     * @param store whether it receives commands and answers them with acks
     * @param relay whether it publishes through a transactional outbox relay
     * @param consentSubscriber whether it applies consent decisions and acknowledges each
     */
    public record Client(String principal, List<String> consumes, List<String> publishes, boolean store,
            boolean relay, boolean consentSubscriber) {

        public Client {
            Require.text(principal, "principal");
            consumes = List.copyOf(consumes);
            publishes = List.copyOf(publishes);
        }

        /** A client that is no consent subscriber. */
        public Client(String principal, List<String> consumes, List<String> publishes, boolean store,
                boolean relay) {
            this(principal, consumes, publishes, store, relay, false);
        }

        /** The transactional-id prefix of this client's outbox relay instances. */
        public String relayTransactionalIdPrefix() {
            return relayTransactionalIdPrefixOf(principal);
        }
    }

    /**
     * One ACL: {@code principal} may do {@code operation} on the resource {@code name} (the exact name, or every name
     * starting with it when {@code pattern} is {@link PatternType#PREFIXED}).
     */
    public record Grant(String principal, ResourceType resource, PatternType pattern, String name,
            AclOperation operation) {

        /** The Kafka ACL, for any host. */
        public AclBinding aclBinding() {
            return new AclBinding(new ResourcePattern(resource, name, pattern),
                    new AccessControlEntry(userPrincipal(principal), "*", operation, AclPermissionType.ALLOW));
        }

        /** {@code <principal> <resource> <pattern> <name> <operation>}, as {@link #main} prints it. */
        @Override
        public String toString() {
            return principal + " " + resource + " " + pattern + " " + name + " " + operation;
        }
    }

    private static final List<Client> CLIENTS = List.of(
            // consent-service reads the consent subscribers' acknowledgements to track each decision's propagation.
            new Client(CONSENT_SERVICE, List.of(Topics.RIGHTS_REQUEST, Topics.CONSENT_APPLIED),
                    List.of(Topics.CONSENT_CHANGED, Topics.NOTIFICATION), true, true),
            // request-service reads its own audit anchors back from Kafka to verify the audit chain (GET
            // /v1/audit/verify): the copy outside its database is the point of an anchor.
            new Client(REQUEST_SERVICE, List.of(Topics.REQUEST_PROGRESS, Topics.COMMAND_ACK, Topics.AUDIT_ANCHOR),
                    List.of(Topics.RIGHTS_REQUEST, Topics.NOTIFICATION, Topics.AUDIT_ANCHOR), true, true),
            new Client(RETENTION_SERVICE, List.of(Topics.RIGHTS_REQUEST, Topics.COMMAND_ACK),
                    List.of(Topics.COMMAND, Topics.REQUEST_PROGRESS, Topics.NOTIFICATION, Topics.TENANT_SETTINGS),
                    false, true),
            // mail-log-store stands for the mailer: it applies marketing withdrawals as suppressions.
            new Client(MAIL_LOG_STORE, List.of(Topics.TENANT_SETTINGS), List.of(), true, true, true));

    private TopicAccess() {
    }

    /** The platform's own clients: its services and the stores among them. */
    public static List<Client> clients() {
        return CLIENTS;
    }

    /** The principal names of {@link #clients()}. */
    public static List<String> principals() {
        return CLIENTS.stream().map(Client::principal).toList();
    }

    /**
     * A store outside this repository that receives commands with the subscriber kit: it reads the commands in its
     * groups, writes acks and the commands' dead letters, and runs no relay.
     */
    public static Client externalStore(String systemName) {
        return new Client(systemName, List.of(), List.of(), true, false);
    }

    /**
     * A system outside this repository that applies consent decisions with the kit's {@code ConsentSubscriber} (the
     * mailer, an ads integration): it reads the decisions in its groups, writes its acknowledgements and the
     * decisions' dead letters, and runs no relay.
     */
    public static Client externalConsentSubscriber(String systemName) {
        return new Client(systemName, List.of(), List.of(), false, false, true);
    }

    /** Every grant of the platform's own clients. */
    public static List<Grant> grants() {
        return grants(CLIENTS);
    }

    /** Every grant that follows from what the given clients do, without duplicates. */
    public static List<Grant> grants(List<Client> clients) {
        Set<Grant> grants = new LinkedHashSet<>();
        for (Client client : clients) {
            String p = client.principal();
            if (!client.consumes().isEmpty()) {
                grants.add(new Grant(p, ResourceType.GROUP, PatternType.LITERAL, p, AclOperation.READ));
            }
            for (String topic : client.consumes()) {
                grants.add(new Grant(p, ResourceType.TOPIC, PatternType.LITERAL, topic, AclOperation.READ));
                grants.add(new Grant(p, ResourceType.TOPIC, PatternType.LITERAL, Topics.deadLetterOf(topic),
                        AclOperation.WRITE));
                // The dead-letter admin endpoint lists the service's own dead letters (no group: it assigns).
                grants.add(new Grant(p, ResourceType.TOPIC, PatternType.LITERAL, Topics.deadLetterOf(topic),
                        AclOperation.READ));
            }
            if (client.store()) {
                grants.addAll(acknowledgerGrants(client, STORE_GROUP_PREFIX, Topics.COMMAND, Topics.COMMAND_ACK));
            }
            if (client.consentSubscriber()) {
                grants.addAll(acknowledgerGrants(client, CONSENT_SUBSCRIBER_GROUP_PREFIX, Topics.CONSENT_CHANGED,
                        Topics.CONSENT_APPLIED));
            }
            for (String topic : client.publishes()) {
                grants.add(new Grant(p, ResourceType.TOPIC, PatternType.LITERAL, topic, AclOperation.WRITE));
            }
            if (client.relay()) {
                grants.add(new Grant(p, ResourceType.TRANSACTIONAL_ID, PatternType.PREFIXED,
                        client.relayTransactionalIdPrefix(), AclOperation.WRITE));
            }
        }
        return List.copyOf(new ArrayList<>(grants));
    }

    /**
     * What a client that answers every event of {@code topic} with an acknowledgement on {@code ackTopic} needs (a
     * store its commands, a consent subscriber the consent decisions): READ of the topic in its groups
     * {@code <groupPrefix><principal>…}, WRITE of the topic's {@code .dlq} (READ too for a platform service, whose
     * dead-letter admin endpoint lists them) and WRITE of the acknowledgement topic.
     */
    private static List<Grant> acknowledgerGrants(Client client, String groupPrefix, String topic, String ackTopic) {
        String p = client.principal();
        List<Grant> grants = new ArrayList<>();
        grants.add(new Grant(p, ResourceType.GROUP, PatternType.PREFIXED, groupPrefix + p, AclOperation.READ));
        grants.add(new Grant(p, ResourceType.TOPIC, PatternType.LITERAL, topic, AclOperation.READ));
        grants.add(new Grant(p, ResourceType.TOPIC, PatternType.LITERAL, Topics.deadLetterOf(topic),
                AclOperation.WRITE));
        if (client.relay()) {
            grants.add(new Grant(p, ResourceType.TOPIC, PatternType.LITERAL, Topics.deadLetterOf(topic),
                    AclOperation.READ));
        }
        grants.add(new Grant(p, ResourceType.TOPIC, PatternType.LITERAL, ackTopic, AclOperation.WRITE));
        return grants;
    }

    /** The transactional-id prefix of a service's outbox relay: {@code outbox-relay-<service>-}. */
    public static String relayTransactionalIdPrefixOf(String serviceName) {
        return RELAY_TRANSACTIONAL_ID_PREFIX + Require.text(serviceName, "serviceName") + "-";
    }

    /** Kafka's name of a SASL user as an ACL principal. */
    public static String userPrincipal(String user) {
        return "User:" + user;
    }

    /**
     * Prints the access table, one grant per line: {@code <principal> <resource> <pattern> <name> <operation>};
     * with the argument {@code principals}, the principal names, one per line.
     */
    public static void main(String[] args) {
        if (args.length == 1 && args[0].equals("principals")) {
            principals().forEach(System.out::println);
        } else if (args.length == 0) {
            grants().forEach(System.out::println);
        } else {
            System.err.println("usage: TopicAccess [principals]");
            System.exit(2);
        }
    }
}
