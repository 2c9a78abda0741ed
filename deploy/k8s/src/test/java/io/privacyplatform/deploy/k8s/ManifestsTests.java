package io.privacyplatform.deploy.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitor;
import io.privacyplatform.deploy.k8s.PlatformServices.ServiceSpec;
import io.privacyplatform.events.TopicAccess;
import io.privacyplatform.events.TopicSpec;
import io.privacyplatform.events.Topics;
import io.strimzi.api.kafka.model.kafka.Kafka;
import io.strimzi.api.kafka.model.nodepool.KafkaNodePool;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import io.strimzi.api.kafka.model.user.KafkaUser;
import io.strimzi.api.kafka.model.user.KafkaUserAuthorizationSimple;

/**
 * The manifests without a cluster: the generated files are what the generator writes now, the rendered overlays
 * parse into Strimzi's and fabric8's models with no field those models do not know, every topic of the code has
 * its KafkaTopic, every service its probes, limits, budget and policy, and every secret a service reads is
 * declared somewhere.
 * <p>
 * The overlays are rendered with {@code kubectl kustomize} into {@code deploy/k8s/rendered/<overlay>.yaml}. Where
 * kubectl is installed the test renders again and fails if the committed files differ; without it, it checks the
 * committed renders (the base files are checked against the generator either way).
 */
class ManifestsTests {

    private static final Path K8S = Path.of(System.getProperty("k8s.dir", "."));
    private static final boolean REGENERATE = Boolean.getBoolean("k8s.regenerate");
    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final String STRIMZI_V1 = "kafka.strimzi.io/v1";

    @BeforeAll
    static void regenerateWhenAsked() throws Exception {
        if (REGENERATE) {
            ManifestGenerator.write(K8S);
            for (String overlay : List.of("dev", "prod")) {
                Files.writeString(rendered(overlay), kustomize(overlay), StandardCharsets.UTF_8);
            }
        }
    }

    @Test
    void shouldCommitExactlyWhatTheGeneratorWrites() throws IOException {
        for (Map.Entry<String, List<? extends HasMetadata>> file : ManifestGenerator.files().entrySet()) {
            Path path = K8S.resolve(file.getKey());
            assertThat(path).as("generated file %s (run the generator: deploy/k8s/README.md)", file.getKey())
                    .exists();
            assertThat(Files.readString(path)).as("%s is out of date: run the generator (deploy/k8s/README.md)",
                    file.getKey()).isEqualTo(ManifestGenerator.render(file.getValue()));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = { "dev", "prod" })
    void shouldCommitTheOverlaysAsKustomizeRendersThem(String overlay) throws Exception {
        if (!kubectlInstalled()) {
            System.out.println("kubectl not installed: the committed render of " + overlay + " is checked as it is");
            return;
        }
        assertThat(Files.readString(rendered(overlay))).as("rendered/%s.yaml is out of date: render it again"
                + " (deploy/k8s/README.md)", overlay).isEqualTo(kustomize(overlay));
    }

    @ParameterizedTest
    @ValueSource(strings = { "dev", "prod" })
    void shouldParseEveryResourceIntoItsModelWithoutUnknownFields(String overlay) throws IOException {
        for (ObjectNode document : documents(overlay)) {
            if (document.path("apiVersion").asText().startsWith("kafka.strimzi.io/")) {
                assertThat(document.path("apiVersion").asText()).as(document.path("kind").asText() + " "
                        + document.at("/metadata/name").asText()).isEqualTo(STRIMZI_V1);
            }
        }
        List<HasMetadata> resources = resources(overlay);
        assertThat(resources).hasSizeGreaterThan(40);
        for (HasMetadata resource : resources) {
            String what = resource.getKind() + " " + resource.getMetadata().getName();
            if (resource.getApiVersion().startsWith("kafka.strimzi.io/")) {
                assertThat(resource.getClass().getPackageName()).as(what).startsWith("io.strimzi.api");
            } else if (resource.getApiVersion().startsWith("postgresql.cnpg.io/")) {
                // CloudNativePG has no Java model: its two kinds are checked field by field below.
                assertThat(resource).as(what).isInstanceOf(GenericKubernetesResource.class);
                assertThat(resource.getKind()).as(what).isIn("Cluster", "ScheduledBackup");
            } else {
                assertThat(resource).as(what + " has a fabric8 model").isNotInstanceOf(GenericKubernetesResource.class);
            }
            if (!(resource instanceof GenericKubernetesResource)) {
                assertThat(unknownFields(resource, what)).as("fields the model does not know").isEmpty();
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = { "dev", "prod" })
    void shouldHaveAKafkaTopicForEveryTopicOfTheCodeWithItsRetention(String overlay) throws IOException {
        List<HasMetadata> resources = resources(overlay);
        Map<String, KafkaTopic> topics = new java.util.HashMap<>();
        of(resources, KafkaTopic.class).forEach(t -> topics.put(t.getSpec().getTopicName(), t));
        int replicas = overlay.equals("prod") ? 3 : 1;
        int minInSync = overlay.equals("prod") ? 2 : 1;

        assertThat(topics.keySet()).containsExactlyInAnyOrderElementsOf(
                Topics.specsWithDeadLetters().stream().map(TopicSpec::name).toList());
        for (TopicSpec spec : Topics.specsWithDeadLetters()) {
            KafkaTopic topic = topics.get(spec.name());
            assertThat(topic.getSpec().getPartitions()).as(spec.name()).isEqualTo(spec.partitions());
            assertThat(topic.getSpec().getReplicas()).as(spec.name()).isEqualTo(replicas);
            assertThat(topic.getSpec().getConfig()).as(spec.name())
                    .containsEntry("cleanup.policy", spec.cleanupPolicy().kafkaName())
                    .containsEntry("min.insync.replicas", minInSync);
            assertThat(String.valueOf(topic.getSpec().getConfig().get("retention.ms"))).as(spec.name())
                    .isEqualTo(Long.toString(spec.retentionMs()));
            assertThat(topic.getMetadata().getLabels()).containsEntry("strimzi.io/cluster",
                    PlatformServices.KAFKA_CLUSTER);
        }
        Kafka kafka = single(resources, Kafka.class);
        assertThat(kafka.getSpec().getKafka().getConfig()).containsEntry("min.insync.replicas", minInSync)
                .containsEntry("default.replication.factor", replicas)
                .containsEntry("auto.create.topics.enable", false);
        assertThat(single(resources, KafkaNodePool.class).getSpec().getReplicas()).isEqualTo(replicas);
    }

    @Test
    void shouldGiveEveryClientAKafkaUserWithExactlyItsAcls() throws IOException {
        List<KafkaUser> users = of(resources("prod"), KafkaUser.class);
        assertThat(users).extracting(u -> u.getMetadata().getName())
                .containsExactlyInAnyOrderElementsOf(TopicAccess.principals());
        for (KafkaUser user : users) {
            String principal = user.getMetadata().getName();
            List<String> acls = ((KafkaUserAuthorizationSimple) user.getSpec().getAuthorization()).getAcls().stream()
                    .map(acl -> acl.getResource().getType() + " " + resourceName(acl.getResource()) + " "
                            + acl.getOperations())
                    .toList();
            List<String> expected = TopicAccess.grants().stream().filter(g -> g.principal().equals(principal))
                    .map(g -> g.resource().name().toLowerCase().replace("transactional_id", "transactionalId") + " "
                            + g.name() + " [" + g.operation().name() + "]")
                    .toList();
            assertThat(acls).as(principal).containsExactlyInAnyOrderElementsOf(expected);
            assertThat(user.getSpec().getAuthentication().getType()).isEqualTo("scram-sha-512");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = { "dev", "prod" })
    void shouldGiveEveryServiceProbesLimitsABudgetAnAutoscalerAndANetworkPolicy(String overlay) throws IOException {
        List<HasMetadata> resources = resources(overlay);
        for (ServiceSpec service : PlatformServices.all()) {
            String name = service.name();
            Deployment deployment = named(resources, Deployment.class, name);
            assertThat(deployment.getSpec().getReplicas()).as(name).isGreaterThanOrEqualTo(2);
            Container container = deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
            assertProbe(container.getStartupProbe(), "/q/health/started", name);
            assertProbe(container.getReadinessProbe(), "/q/health/ready", name);
            assertProbe(container.getLivenessProbe(), "/q/health/live", name);
            assertThat(container.getResources().getLimits()).as(name).containsKeys("cpu", "memory");
            assertThat(container.getResources().getRequests()).as(name).containsKeys("cpu", "memory");
            assertThat(deployment.getSpec().getTemplate().getSpec().getSecurityContext().getRunAsNonRoot())
                    .as(name).isTrue();
            assertThat(container.getSecurityContext().getReadOnlyRootFilesystem()).as(name).isTrue();
            assertThat(container.getSecurityContext().getAllowPrivilegeEscalation()).as(name).isFalse();

            Map<String, String> podLabels = deployment.getSpec().getTemplate().getMetadata().getLabels();
            assertThat(podLabels).as(name + " PDB selects its pods").containsAllEntriesOf(
                    named(resources, PodDisruptionBudget.class, name).getSpec().getSelector().getMatchLabels());
            NetworkPolicy policy = named(resources, NetworkPolicy.class, name);
            assertThat(podLabels).as(name + " policy selects its pods")
                    .containsAllEntriesOf(policy.getSpec().getPodSelector().getMatchLabels());
            assertThat(policy.getSpec().getPolicyTypes()).as(name).containsExactlyInAnyOrder("Ingress", "Egress");
            HorizontalPodAutoscaler autoscaler = named(resources, HorizontalPodAutoscaler.class, name);
            assertThat(autoscaler.getSpec().getScaleTargetRef().getName()).isEqualTo(name);
            assertThat(autoscaler.getSpec().getMinReplicas()).as(name).isGreaterThanOrEqualTo(2);
            assertThat(named(resources, ServiceMonitor.class, name).getSpec().getEndpoints().get(0).getPath())
                    .isEqualTo("/q/metrics");
            assertThat(named(resources, io.fabric8.kubernetes.api.model.Service.class, name)).isNotNull();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = { "dev", "prod" })
    void shouldDeclareEverySecretAServiceReads(String overlay) throws IOException {
        List<HasMetadata> resources = resources(overlay);
        Set<String> made = new HashSet<>();
        // Made by the operators: Strimzi's user operator (one per KafkaUser), CloudNativePG (<cluster>-app).
        of(resources, KafkaUser.class).forEach(u -> made.add(u.getMetadata().getName()));
        resources.stream().filter(r -> r.getKind().equals("Cluster") && r.getApiVersion().startsWith("postgresql"))
                .forEach(c -> made.add(c.getMetadata().getName() + "-app"));
        // Provided by the platform's operator: created by create-secrets.sh, listed in the README.
        String script = Files.readString(K8S.resolve("create-secrets.sh"));
        String readme = Files.readString(K8S.resolve("README.md"));
        Set<String> declared = new HashSet<>();
        PlatformServices.all().forEach(s -> s.secretNames().stream().filter(n -> !made.contains(n))
                .forEach(declared::add));
        for (String secret : declared) {
            assertThat(script).as("create-secrets.sh creates " + secret).contains(secret);
            assertThat(readme).as("README.md lists " + secret).contains("`" + secret + "`");
        }

        for (Deployment deployment : of(resources, Deployment.class)) {
            String name = deployment.getMetadata().getName();
            Set<String> read = new HashSet<>();
            for (Container container : deployment.getSpec().getTemplate().getSpec().getContainers()) {
                for (EnvVar env : container.getEnv()) {
                    if (env.getValueFrom() != null && env.getValueFrom().getSecretKeyRef() != null) {
                        read.add(env.getValueFrom().getSecretKeyRef().getName());
                    }
                }
            }
            for (Volume volume : deployment.getSpec().getTemplate().getSpec().getVolumes()) {
                if (volume.getSecret() != null) {
                    read.add(volume.getSecret().getSecretName());
                }
            }
            assertThat(read).as(name + " reads").isNotEmpty();
            for (String secret : read) {
                assertThat(made.contains(secret) || declared.contains(secret))
                        .as("%s reads secret %s, which no resource makes and the platform does not declare", name,
                                secret).isTrue();
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = { "dev", "prod" })
    void shouldGiveEveryServiceItsOwnDatabaseCluster(String overlay) throws IOException {
        List<HasMetadata> resources = resources(overlay);
        int instances = overlay.equals("prod") ? 3 : 1;
        for (ServiceSpec service : PlatformServices.all()) {
            JsonNode spec = genericSpec(resources, "Cluster", service.databaseCluster());
            assertThat(spec.at("/instances").asInt()).as(service.name()).isEqualTo(instances);
            assertThat(spec.at("/bootstrap/initdb/database").asText()).isEqualTo(service.database());
            assertThat(spec.at("/bootstrap/initdb/owner").asText()).isEqualTo(service.database());
            if (overlay.equals("prod")) {
                assertThat(spec.at("/backup/barmanObjectStore/destinationPath").asText()).startsWith("s3://");
                assertThat(spec.at("/backup/retentionPolicy").asText()).isEqualTo("30d");
                JsonNode schedule = genericSpec(resources, "ScheduledBackup", service.databaseCluster() + "-daily");
                assertThat(schedule.at("/cluster/name").asText()).isEqualTo(service.databaseCluster());
            } else {
                assertThat(spec.has("backup")).isFalse();
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = { "dev", "prod" })
    void shouldLetEveryServiceReachThePlatformsKeyStore(String overlay) throws IOException {
        List<HasMetadata> resources = resources(overlay);
        JsonNode spec = genericSpec(resources, "Cluster", PlatformServices.KEY_STORE.cluster());
        assertThat(spec.at("/bootstrap/initdb/database").asText()).isEqualTo(PlatformServices.KEY_STORE.database());
        for (ServiceSpec service : PlatformServices.all()) {
            String name = service.name();
            Container container = named(resources, Deployment.class, name).getSpec().getTemplate().getSpec()
                    .getContainers().get(0);
            assertThat(container.getEnv()).as(name).extracting(EnvVar::getName)
                    .contains("PRIVACY_KEYS_USERNAME", "PRIVACY_KEYS_PASSWORD", "PRIVACY_KEYS_MASTER_KEY");
            assertThat(named(resources, io.fabric8.kubernetes.api.model.ConfigMap.class, name + "-config").getData())
                    .as(name).containsEntry("PRIVACY_KEYS_JDBC_URL", "jdbc:postgresql://"
                            + PlatformServices.KEY_STORE.cluster() + "-rw:5432/" + PlatformServices.KEY_STORE.database());
            assertThat(named(resources, NetworkPolicy.class, name).getSpec().getEgress()).as(name + " egress")
                    .anySatisfy(rule -> assertThat(rule.getTo().get(0).getPodSelector().getMatchLabels())
                            .containsEntry("cnpg.io/cluster", PlatformServices.KEY_STORE.cluster()));
        }
    }

    // --- helpers ---------------------------------------------------------------------------------------------

    private static void assertProbe(Probe probe, String path, String service) {
        assertThat(probe).as(service + " probe " + path).isNotNull();
        assertThat(probe.getHttpGet().getPath()).as(service).isEqualTo(path);
        assertThat(probe.getHttpGet().getPort().getIntVal()).as(service).isEqualTo(PlatformServices.MANAGEMENT_PORT);
    }

    private static String resourceName(Object aclResource) {
        try {
            return (String) aclResource.getClass().getMethod("getName").invoke(aclResource);
        } catch (ReflectiveOperationException e) {
            return "*"; // the cluster resource has no name
        }
    }

    private static Path rendered(String overlay) {
        return K8S.resolve("rendered").resolve(overlay + ".yaml");
    }

    private static boolean kubectlInstalled() {
        return Stream.of(System.getenv("PATH").split(java.io.File.pathSeparator))
                .anyMatch(dir -> Files.isExecutable(Path.of(dir, "kubectl")));
    }

    private static String kustomize(String overlay) throws Exception {
        Path output = Files.createTempFile("kustomize-" + overlay, ".yaml");
        try {
            Process process = new ProcessBuilder("kubectl", "kustomize", K8S.resolve("overlays").resolve(overlay)
                    .toString()).redirectErrorStream(false).redirectOutput(output.toFile()).start();
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                fail("kubectl kustomize " + overlay + " failed: "
                        + new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
            }
            return "# Rendered by `kubectl kustomize deploy/k8s/overlays/" + overlay + "` (deploy/k8s/README.md)."
                    + " Do not edit.\n" + Files.readString(output);
        } finally {
            Files.deleteIfExists(output);
        }
    }

    private static final Map<String, List<HasMetadata>> PARSED = new java.util.concurrent.ConcurrentHashMap<>();

    /** The rendered overlay's resources, each read into the model class its apiVersion and kind name. */
    static List<HasMetadata> resources(String overlay) throws IOException {
        List<HasMetadata> cached = PARSED.get(overlay);
        if (cached != null) {
            return cached;
        }
        List<HasMetadata> resources = new ArrayList<>();
        documents(overlay).forEach(document -> resources.add(read(document)));
        PARSED.put(overlay, resources);
        return resources;
    }

    /** The rendered overlay's YAML documents as they are written. */
    private static List<ObjectNode> documents(String overlay) throws IOException {
        List<ObjectNode> documents = new ArrayList<>();
        try (YAMLParser parser = new YAMLFactory().createParser(rendered(overlay).toFile())) {
            for (JsonNode document : YAML.readValues(parser, JsonNode.class).readAll()) {
                if (document != null && document.isObject() && !document.isEmpty()) {
                    documents.add((ObjectNode) document);
                }
            }
        }
        return documents;
    }

    private static HasMetadata read(ObjectNode document) {
        String apiVersion = document.path("apiVersion").asText();
        String kind = document.path("kind").asText();
        Class<? extends HasMetadata> strimzi = switch (kind) {
            case "Kafka" -> Kafka.class;
            case "KafkaNodePool" -> KafkaNodePool.class;
            case "KafkaTopic" -> KafkaTopic.class;
            case "KafkaUser" -> KafkaUser.class;
            default -> null;
        };
        if (apiVersion.startsWith("kafka.strimzi.io/") && strimzi != null) {
            return SERIALIZATION.convertValue(document, strimzi);
        }
        return SERIALIZATION.convertValue(document, HasMetadata.class);
    }

    private static <T> List<T> of(List<HasMetadata> resources, Class<T> type) {
        return resources.stream().filter(type::isInstance).map(type::cast).toList();
    }

    private static <T> T single(List<HasMetadata> resources, Class<T> type) {
        List<T> all = of(resources, type);
        assertThat(all).as(type.getSimpleName()).hasSize(1);
        return all.get(0);
    }

    private static <T extends HasMetadata> T named(List<HasMetadata> resources, Class<T> type, String name) {
        return of(resources, type).stream().filter(r -> r.getMetadata().getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + type.getSimpleName() + " " + name));
    }

    private static JsonNode genericSpec(List<HasMetadata> resources, String kind, String name) {
        GenericKubernetesResource resource = resources.stream()
                .filter(r -> r instanceof GenericKubernetesResource && r.getKind().equals(kind)
                        && r.getMetadata().getName().equals(name))
                .map(GenericKubernetesResource.class::cast).findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind + " " + name));
        return YAML.valueToTree(resource.getAdditionalProperties().get("spec"));
    }

    /**
     * Every field a model kept in an {@code additionalProperties} map: fields it does not know (a typo, a field of
     * another API version). fabric8's and Strimzi's models keep them instead of failing, so they are looked for.
     */
    static List<String> unknownFields(Object model, String path) {
        List<String> unknown = new ArrayList<>();
        collectUnknown(model, path, unknown, new IdentityHashMap<>());
        return unknown;
    }

    private static void collectUnknown(Object value, String path, List<String> unknown, Map<Object, Boolean> seen) {
        if (value == null || value instanceof String || value instanceof Number || value instanceof Boolean
                || value instanceof Enum<?> || seen.put(value, Boolean.TRUE) != null) {
            return;
        }
        if (value instanceof Map<?, ?> map) {
            map.forEach((k, v) -> collectUnknown(v, path + "." + k, unknown, seen));
            return;
        }
        if (value instanceof Collection<?> collection) {
            int i = 0;
            for (Object item : collection) {
                collectUnknown(item, path + "[" + i++ + "]", unknown, seen);
            }
            return;
        }
        String pkg = value.getClass().getPackageName();
        if (!pkg.startsWith("io.fabric8.kubernetes.api.model") && !pkg.startsWith("io.fabric8.openshift.api.model")
                && !pkg.startsWith("io.strimzi.api")) {
            return;
        }
        for (Method getter : value.getClass().getMethods()) {
            if (getter.getParameterCount() != 0 || getter.getDeclaringClass() == Object.class
                    || !(getter.getName().startsWith("get") || getter.getName().startsWith("is"))) {
                continue;
            }
            Object child;
            try {
                child = getter.invoke(value);
            } catch (ReflectiveOperationException | RuntimeException e) {
                continue;
            }
            if (getter.getName().equals("getAdditionalProperties")) {
                if (child instanceof Map<?, ?> extra && !extra.isEmpty()) {
                    extra.keySet().forEach(k -> unknown.add(path + "." + k));
                }
            } else {
                collectUnknown(child, path + "." + getter.getName(), unknown, seen);
            }
        }
    }
}
