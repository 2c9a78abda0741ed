package io.privacyplatform.deploy.k8s;

import static io.privacyplatform.deploy.k8s.PlatformServices.HTTP_PORT;
import static io.privacyplatform.deploy.k8s.PlatformServices.KAFKA_CLUSTER;
import static io.privacyplatform.deploy.k8s.PlatformServices.KAFKA_PORT;
import static io.privacyplatform.deploy.k8s.PlatformServices.MANAGEMENT_PORT;
import static io.privacyplatform.deploy.k8s.PlatformServices.PART_OF;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRuleBuilder;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;
import io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitor;
import io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitorBuilder;
import io.privacyplatform.deploy.k8s.PlatformServices.PlatformSecret;
import io.privacyplatform.deploy.k8s.PlatformServices.ServiceSpec;

/**
 * The Kubernetes resources of one service: Deployment, Service, PodDisruptionBudget, HorizontalPodAutoscaler,
 * NetworkPolicy, ServiceMonitor and ConfigMap. Sizes are the base's (2 replicas; requests and limits from the RSS
 * measured by bench/startup.sh: 259–322 MB after start with -Xmx256m); overlays change replicas and limits.
 */
final class ServiceResources {

    /** The image user of the UBI OpenJDK runtime images that Quarkus' Jib build uses. */
    static final long RUN_AS_USER = 185;
    static final String IMAGE_REGISTRY = "registry.example.com/privacy-platform";
    /**
     * The key of a key-directory secret that names the signing key ({@code <id>.pem} in the same secret); the
     * service reads only {@code *.pem} files from the mounted directory, so it sits there harmlessly, and a
     * rotation is one change of one secret.
     */
    static final String CURRENT_KEY_ID = "current-key-id";

    private ServiceResources() {
    }

    static List<HasMetadata> of(ServiceSpec service) {
        return List.of(configMap(service), deployment(service), service(service), disruptionBudget(service),
                autoscaler(service), networkPolicy(service), serviceMonitor(service));
    }

    static Map<String, String> labels(ServiceSpec service) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("app.kubernetes.io/name", service.name());
        labels.put("app.kubernetes.io/part-of", PART_OF);
        return labels;
    }

    private static LabelSelector selector(ServiceSpec service) {
        return new LabelSelectorBuilder().addToMatchLabels("app.kubernetes.io/name", service.name()).build();
    }

    static String configMapName(ServiceSpec service) {
        return service.name() + "-config";
    }

    /** Settings that are not secret; the environment names are Quarkus' (and deploy/local/run.sh's). */
    private static ConfigMap configMap(ServiceSpec service) {
        Map<String, String> data = new LinkedHashMap<>();
        data.put("QUARKUS_HTTP_PORT", Integer.toString(HTTP_PORT));
        data.put("QUARKUS_MANAGEMENT_PORT", Integer.toString(MANAGEMENT_PORT));
        data.put("KAFKA_BOOTSTRAP_SERVERS", KAFKA_CLUSTER + "-kafka-bootstrap:" + KAFKA_PORT);
        data.put("KAFKA_SECURITY_PROTOCOL", "SASL_PLAINTEXT");
        data.put("KAFKA_SASL_MECHANISM", "SCRAM-SHA-512");
        data.put("QUARKUS_DATASOURCE_JDBC_URL", "jdbc:postgresql://" + service.databaseCluster() + "-rw:5432/"
                + service.database());
        data.put("PRIVACY_KEYS_JDBC_URL", "jdbc:postgresql://" + PlatformServices.KEY_STORE.cluster() + "-rw:5432/"
                + PlatformServices.KEY_STORE.database());
        data.put("MP_JWT_VERIFY_ISSUER", "privacy-platform");
        data.put("MP_JWT_VERIFY_PUBLICKEY_LOCATION", "/etc/privacy/jwt/public.pem");
        data.put("PRIVACY_EVENTS_SIGNING_KEY_FILE", "/etc/privacy/signing/signing.pem");
        // Heap from the container's limit rather than a fixed -Xmx: the overlays change the limit.
        data.put("JAVA_TOOL_OPTIONS", "-XX:MaxRAMPercentage=60 -XX:+ExitOnOutOfMemoryError");
        if (service.store()) {
            data.put("PRIVACY_STORE_RETENTION_URL", "http://retention-service:" + HTTP_PORT);
        }
        service.keyDirectories().forEach((prefix, secret) -> data.put(prefix + "_KEYS_DIR", "/etc/privacy/" + secret));
        service.mountedFiles().forEach(files -> files.fileByVariable().forEach((variable, file) -> data.put(variable,
                files.directory() + "/" + file)));
        return new ConfigMapBuilder().withNewMetadata().withName(configMapName(service)).withLabels(labels(service))
                .endMetadata().withData(data).build();
    }

    private static EnvVar fromSecret(String env, String secret, String key) {
        return new EnvVarBuilder().withName(env).withNewValueFrom().withNewSecretKeyRef().withName(secret)
                .withKey(key).endSecretKeyRef().endValueFrom().build();
    }

    private static List<EnvVar> secretEnv(ServiceSpec service) {
        List<EnvVar> env = new ArrayList<>();
        env.add(fromSecret("QUARKUS_DATASOURCE_USERNAME", service.databaseSecret(), "username"));
        env.add(fromSecret("QUARKUS_DATASOURCE_PASSWORD", service.databaseSecret(), "password"));
        env.add(fromSecret("KAFKA_SASL_JAAS_CONFIG", service.kafkaSecret(), "sasl.jaas.config"));
        env.add(fromSecret("PRIVACY_KEYS_USERNAME", PlatformServices.KEY_STORE.secret(), "username"));
        env.add(fromSecret("PRIVACY_KEYS_PASSWORD", PlatformServices.KEY_STORE.secret(), "password"));
        for (PlatformSecret secret : service.secrets()) {
            env.add(fromSecret(envOf(secret), secret.name(), secret.key()));
        }
        if (service.store()) {
            env.add(fromSecret("PRIVACY_STORE_TOKEN", service.storeTokenSecret(), "token"));
        }
        service.keyDirectories().forEach((prefix, secret) -> env.add(fromSecret(prefix + "_CURRENT_KEY_ID", secret,
                CURRENT_KEY_ID)));
        return env;
    }

    private static String envOf(PlatformSecret secret) {
        if (secret.equals(PlatformServices.PSEUDONYM)) {
            return "PRIVACY_PSEUDONYM_SECRET";
        }
        if (secret.equals(PlatformServices.MAILER_PUBLIC_KEY)) {
            return "REQUESTS_MAILER_PUBLIC_KEY";
        }
        if (secret.equals(PlatformServices.MAIL_LOG_SAMPLING)) {
            return "MAIL_LOG_SAMPLING_SECRET";
        }
        if (secret.equals(PlatformServices.KEYS_MASTER_KEY)) {
            return "PRIVACY_KEYS_MASTER_KEY";
        }
        throw new IllegalArgumentException("no environment variable for secret " + secret.name());
    }

    /** Key files mounted read-only: the JWT public key, the signing key, any key directory and other mounted files. */
    private static Map<String, String> mountedSecrets(ServiceSpec service) {
        Map<String, String> mounts = new LinkedHashMap<>();
        mounts.put(PlatformServices.JWT_PUBLIC_KEY.name(), "/etc/privacy/jwt");
        mounts.put(service.signingKeySecret(), "/etc/privacy/signing");
        service.keyDirectories().values().forEach(secret -> mounts.put(secret, "/etc/privacy/" + secret));
        service.mountedFiles().forEach(files -> mounts.put(files.secret(), files.directory()));
        return mounts;
    }

    private static Probe probe(String path, int failureThreshold, int periodSeconds) {
        return new ProbeBuilder().withNewHttpGet().withPath(path).withPort(new IntOrString(MANAGEMENT_PORT))
                .endHttpGet().withPeriodSeconds(periodSeconds).withFailureThreshold(failureThreshold)
                .withTimeoutSeconds(2).build();
    }

    private static Deployment deployment(ServiceSpec service) {
        List<Volume> volumes = new ArrayList<>();
        List<VolumeMount> mounts = new ArrayList<>();
        // The root filesystem is read-only; Vert.x and the JVM write temporary files here.
        volumes.add(new VolumeBuilder().withName("tmp").withNewEmptyDir().withSizeLimit(new Quantity("64Mi"))
                .endEmptyDir().build());
        mounts.add(new VolumeMountBuilder().withName("tmp").withMountPath("/tmp").build());
        mountedSecrets(service).forEach((secret, path) -> {
            volumes.add(new VolumeBuilder().withName(secret).withNewSecret().withSecretName(secret)
                    .withDefaultMode(0440).endSecret().build());
            mounts.add(new VolumeMountBuilder().withName(secret).withMountPath(path).withReadOnly(true).build());
        });
        return new DeploymentBuilder()
                .withNewMetadata().withName(service.name()).withLabels(labels(service)).endMetadata()
                .withNewSpec()
                .withReplicas(2)
                .withSelector(selector(service))
                .withNewStrategy().withType("RollingUpdate").withNewRollingUpdate()
                .withMaxUnavailable(new IntOrString(0)).withMaxSurge(new IntOrString(1)).endRollingUpdate()
                .endStrategy()
                .withNewTemplate()
                .withNewMetadata().withLabels(labels(service)).endMetadata()
                .withNewSpec()
                .withAutomountServiceAccountToken(false)
                .withNewSecurityContext().withRunAsNonRoot(true).withRunAsUser(RUN_AS_USER)
                .withRunAsGroup(RUN_AS_USER).withFsGroup(RUN_AS_USER).withNewSeccompProfile()
                .withType("RuntimeDefault").endSeccompProfile().endSecurityContext()
                .addNewTopologySpreadConstraint().withMaxSkew(1).withTopologyKey("kubernetes.io/hostname")
                .withWhenUnsatisfiable("ScheduleAnyway").withLabelSelector(selector(service))
                .endTopologySpreadConstraint()
                .addNewContainer()
                .withName(service.name())
                .withImage(IMAGE_REGISTRY + "/" + service.name() + ":1.0.0-SNAPSHOT")
                .addNewPort().withName("http").withContainerPort(HTTP_PORT).endPort()
                .addNewPort().withName("management").withContainerPort(MANAGEMENT_PORT).endPort()
                .addNewEnvFrom().withNewConfigMapRef().withName(configMapName(service)).endConfigMapRef().endEnvFrom()
                .withEnv(secretEnv(service))
                // Flyway, Kafka channels and the signing keys take seconds on a cold JVM: a generous start-up
                // budget, then tight liveness.
                .withStartupProbe(probe("/q/health/started", 30, 2))
                .withReadinessProbe(probe("/q/health/ready", 3, 5))
                .withLivenessProbe(probe("/q/health/live", 3, 10))
                .withNewResources()
                .addToRequests("cpu", new Quantity("250m")).addToRequests("memory", new Quantity("384Mi"))
                .addToLimits("cpu", new Quantity("1")).addToLimits("memory", new Quantity("512Mi"))
                .endResources()
                .withNewSecurityContext().withReadOnlyRootFilesystem(true).withAllowPrivilegeEscalation(false)
                .withNewCapabilities().addToDrop("ALL").endCapabilities().endSecurityContext()
                .withVolumeMounts(mounts)
                .endContainer()
                .withVolumes(volumes)
                .endSpec()
                .endTemplate()
                .endSpec()
                .build();
    }

    private static Service service(ServiceSpec service) {
        return new ServiceBuilder()
                .withNewMetadata().withName(service.name()).withLabels(labels(service)).endMetadata()
                .withNewSpec().withSelector(Map.of("app.kubernetes.io/name", service.name()))
                .addNewPort().withName("http").withPort(HTTP_PORT).withTargetPort(new IntOrString("http")).endPort()
                .addNewPort().withName("management").withPort(MANAGEMENT_PORT)
                .withTargetPort(new IntOrString("management")).endPort()
                .endSpec().build();
    }

    private static PodDisruptionBudget disruptionBudget(ServiceSpec service) {
        return new PodDisruptionBudgetBuilder()
                .withNewMetadata().withName(service.name()).withLabels(labels(service)).endMetadata()
                .withNewSpec().withMaxUnavailable(new IntOrString(1)).withSelector(selector(service)).endSpec()
                .build();
    }

    private static HorizontalPodAutoscaler autoscaler(ServiceSpec service) {
        return new HorizontalPodAutoscalerBuilder()
                .withNewMetadata().withName(service.name()).withLabels(labels(service)).endMetadata()
                .withNewSpec()
                .withNewScaleTargetRef().withApiVersion("apps/v1").withKind("Deployment").withName(service.name())
                .endScaleTargetRef()
                .withMinReplicas(2).withMaxReplicas(6)
                .addNewMetric().withType("Resource").withNewResource().withName("cpu").withNewTarget()
                .withType("Utilization").withAverageUtilization(70).endTarget().endResource().endMetric()
                .endSpec().build();
    }

    /**
     * In: the API port from anywhere (callers are product apps and the operators' browsers; every API call is
     * authenticated), the management port from the monitoring namespace only. Out: DNS, the Kafka brokers, its own
     * database, the platform's key store, and the services it calls (stores register on retention-service's data map).
     */
    private static NetworkPolicy networkPolicy(ServiceSpec service) {
        List<NetworkPolicyEgressRule> egress = new ArrayList<>();
        egress.add(new NetworkPolicyEgressRuleBuilder()
                .addNewTo().withNewNamespaceSelector().endNamespaceSelector().withNewPodSelector()
                .addToMatchLabels("k8s-app", "kube-dns").endPodSelector().endTo()
                .addNewPort().withProtocol("UDP").withPort(new IntOrString(53)).endPort()
                .addNewPort().withProtocol("TCP").withPort(new IntOrString(53)).endPort()
                .build());
        egress.add(new NetworkPolicyEgressRuleBuilder()
                .addNewTo().withNewPodSelector().addToMatchLabels("strimzi.io/cluster", KAFKA_CLUSTER)
                .addToMatchLabels("strimzi.io/kind", "Kafka").endPodSelector().endTo()
                .addNewPort().withProtocol("TCP").withPort(new IntOrString(KAFKA_PORT)).endPort()
                .build());
        for (String database : List.of(service.databaseCluster(), PlatformServices.KEY_STORE.cluster())) {
            egress.add(new NetworkPolicyEgressRuleBuilder()
                    .addNewTo().withNewPodSelector().addToMatchLabels("cnpg.io/cluster", database)
                    .endPodSelector().endTo()
                    .addNewPort().withProtocol("TCP").withPort(new IntOrString(5432)).endPort()
                    .build());
        }
        for (String called : service.calls()) {
            egress.add(new NetworkPolicyEgressRuleBuilder()
                    .addNewTo().withNewPodSelector().addToMatchLabels("app.kubernetes.io/name", called)
                    .endPodSelector().endTo()
                    .addNewPort().withProtocol("TCP").withPort(new IntOrString(HTTP_PORT)).endPort()
                    .build());
        }
        return new NetworkPolicyBuilder()
                .withNewMetadata().withName(service.name()).withLabels(labels(service)).endMetadata()
                .withNewSpec()
                .withPodSelector(selector(service))
                .withPolicyTypes("Ingress", "Egress")
                .addNewIngress().addNewPort().withProtocol("TCP").withPort(new IntOrString(HTTP_PORT)).endPort()
                .endIngress()
                .addNewIngress().addNewFrom().withNewNamespaceSelector()
                .addToMatchLabels("kubernetes.io/metadata.name", "monitoring").endNamespaceSelector().endFrom()
                .addNewPort().withProtocol("TCP").withPort(new IntOrString(MANAGEMENT_PORT)).endPort()
                .endIngress()
                .withEgress(egress)
                .endSpec().build();
    }

    private static ServiceMonitor serviceMonitor(ServiceSpec service) {
        return new ServiceMonitorBuilder()
                .withNewMetadata().withName(service.name()).withLabels(labels(service)).endMetadata()
                .withNewSpec()
                .withNewSelector().addToMatchLabels("app.kubernetes.io/name", service.name()).endSelector()
                .addNewEndpoint().withPort("management").withPath("/q/metrics").withInterval("30s").endEndpoint()
                .endSpec().build();
    }
}
