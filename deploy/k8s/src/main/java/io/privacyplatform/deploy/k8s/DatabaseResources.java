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
        Map<String, Object> initdb = new LinkedHashMap<>();
        initdb.put("database", service.database());
        initdb.put("owner", service.database());
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
                .withNewMetadata().withName(service.databaseCluster()).withLabels(ServiceResources.labels(service))
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
