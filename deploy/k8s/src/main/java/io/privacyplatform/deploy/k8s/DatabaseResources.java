package io.privacyplatform.deploy.k8s;

import java.util.LinkedHashMap;
import java.util.Map;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.privacyplatform.deploy.k8s.PlatformServices.ServiceSpec;

/**
 * One CloudNativePG {@code Cluster} per service database (a service's data is its own: no shared server). CNPG
 * creates the owner's credentials as the secret {@code <cluster>-app}, which the service reads. CloudNativePG
 * publishes no Java model, so these are generic resources; ManifestsTests checks their fields.
 */
final class DatabaseResources {

    static final String API_VERSION = "postgresql.cnpg.io/v1";
    static final int INSTANCES = 3;

    private DatabaseResources() {
    }

    static GenericKubernetesResource cluster(ServiceSpec service) {
        return cluster(service.databaseCluster(), service.database(), ServiceResources.labels(service));
    }

    /**
     * The platform's key store: a database of its own that every service reaches (its NetworkPolicy allows it), so
     * that destroying a subject's key there erases its sealed data everywhere. Its backups must expire quickly: a
     * destroyed key lives on in a backup taken before, until the master key it was wrapped with is destroyed too
     * (privacy-events' README, the master key's rotation).
     */
    static GenericKubernetesResource keyStoreCluster() {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("app.kubernetes.io/name", PlatformServices.KEY_STORE.cluster());
        labels.put("app.kubernetes.io/part-of", PlatformServices.PART_OF);
        return cluster(PlatformServices.KEY_STORE.cluster(), PlatformServices.KEY_STORE.database(), labels);
    }

    private static GenericKubernetesResource cluster(String name, String database, Map<String, String> labels) {
        Map<String, Object> initdb = new LinkedHashMap<>();
        initdb.put("database", database);
        initdb.put("owner", database);
        Map<String, Object> parameters = new LinkedHashMap<>();
        // Two instances of the service, each with its pool (20) and its relay, plus room for an operator's psql.
        parameters.put("max_connections", "100");
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("instances", INSTANCES);
        spec.put("primaryUpdateStrategy", "unsupervised");
        spec.put("storage", Map.of("size", "10Gi"));
        spec.put("bootstrap", Map.of("initdb", initdb));
        spec.put("postgresql", Map.of("parameters", parameters));
        spec.put("monitoring", Map.of("enablePodMonitor", true));
        return new GenericKubernetesResourceBuilder()
                .withApiVersion(API_VERSION).withKind("Cluster")
                .withNewMetadata().withName(name).withLabels(labels)
                .endMetadata()
                .withAdditionalProperties(Map.of("spec", spec))
                .build();
    }

    /**
     * The daily base backup of a service's database (prod overlay; the Cluster's backup settings, also set there,
     * say where to). With WAL archiving this allows point-in-time recovery within the retention.
     */
    static GenericKubernetesResource dailyBackup(ServiceSpec service) {
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("schedule", "0 0 2 * * *");
        spec.put("backupOwnerReference", "self");
        spec.put("cluster", Map.of("name", service.databaseCluster()));
        return new GenericKubernetesResourceBuilder()
                .withApiVersion(API_VERSION).withKind("ScheduledBackup")
                .withNewMetadata().withName(service.databaseCluster() + "-daily")
                .withLabels(ServiceResources.labels(service)).endMetadata()
                .withAdditionalProperties(Map.of("spec", spec))
                .build();
    }
}
