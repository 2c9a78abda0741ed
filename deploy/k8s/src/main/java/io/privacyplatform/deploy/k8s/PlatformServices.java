package io.privacyplatform.deploy.k8s;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.privacyplatform.events.TopicAccess;

/**
 * What each service needs in a cluster: its database, the secrets it reads, the services it calls. The manifests of
 * {@code deploy/k8s/base} are generated from this table ({@link ManifestGenerator}), the same way deploy/local/run.sh
 * starts the services, so the two cannot ask for different things.
 */
public final class PlatformServices {

    /** The Strimzi Kafka cluster's name; its bootstrap service is {@code <name>-kafka-bootstrap}. */
    public static final String KAFKA_CLUSTER = "privacy-kafka";
    public static final int KAFKA_PORT = 9092;
    public static final int HTTP_PORT = 8080;
    public static final int MANAGEMENT_PORT = 9000;
    public static final String PART_OF = "privacy-platform";

    /** A secret the platform's operator provides (never generated, never in git), and what it holds. */
    public record PlatformSecret(String name, String key, String holds) {
    }

    public static final PlatformSecret JWT_PUBLIC_KEY = new PlatformSecret("privacy-jwt-public-key", "public.pem",
            "the issuer's RSA public key (PEM) every service verifies bearer tokens with");
    public static final PlatformSecret PSEUDONYM = new PlatformSecret("privacy-pseudonym", "secret",
            "the HMAC secret that turns subject ids into the pseudonyms used as Kafka keys (>= 32 characters)");
    public static final PlatformSecret MAILER_PUBLIC_KEY = new PlatformSecret("privacy-mailer-public-key",
            "public-key", "the mailer's RSA public key (base64 X.509): verification codes are sealed to it");
    public static final PlatformSecret MAIL_LOG_SAMPLING = new PlatformSecret("mail-log-sampling", "secret",
            "the secret that picks the 1-in-100 sampled e-mails (>= 32 characters)");
    public static final PlatformSecret KEYS_MASTER_KEY = new PlatformSecret("privacy-keys-master-key", "secret",
            "the master key (base64 of 32 random bytes) that wraps every subject's data key in the key store");

    /**
     * The platform's key store (privacy-events' JdbcSubjectKeys): one database every service reaches, the subjects'
     * data keys wrapped by {@link #KEYS_MASTER_KEY}. CloudNativePG makes its owner's credentials
     * ({@code <cluster>-app}).
     */
    public record KeyStoreDatabase(String cluster, String database) {

        public String secret() {
            return cluster + "-app";
        }
    }

    public static final KeyStoreDatabase KEY_STORE = new KeyStoreDatabase("privacy-keys-db", "privacy_keys");

    /**
     * A secret the operator provides whose entries the service reads as files: mounted at
     * {@code /etc/privacy/<secret>}, each file's path given to the service in the configuration variable that names
     * it (variable → file name in the secret).
     */
    public record MountedFiles(String secret, Map<String, String> fileByVariable, String holds) {

        public String directory() {
            return "/etc/privacy/" + secret;
        }
    }

    /**
     * request-service's OpenDSR signing key and its certificate (issue 15, part 4): answers and status callbacks are
     * signed with the key, controllers verify them with the certificate served at {@code /opendsr/v1/certificate.pem}.
     * Without them the prod profile answers 503 {@code opendsr_not_configured}.
     */
    public static final MountedFiles OPENDSR_KEY = new MountedFiles("request-service-opendsr", orderedMap(
            "REQUESTS_OPENDSR_KEY_FILE", "key.pem", "REQUESTS_OPENDSR_CERTIFICATE_FILE", "certificate.pem"),
            "the RSA key (PEM) OpenDSR answers and callbacks are signed with, and its CA-issued certificate chain");

    /** One service: its module name (= Kafka principal, Deployment, Service), database, role and secrets. */
    public record ServiceSpec(String name, String database, boolean store, List<PlatformSecret> secrets,
            Map<String, String> keyDirectories, List<String> calls, List<MountedFiles> mountedFiles) {

        /** The CloudNativePG cluster of its database; its read-write service is {@code <cluster>-rw}. */
        public String databaseCluster() {
            return name + "-db";
        }

        /** The secret CloudNativePG creates for the database owner ({@code username}, {@code password}). */
        public String databaseSecret() {
            return databaseCluster() + "-app";
        }

        /** The secret the Strimzi user operator creates for its KafkaUser ({@code sasl.jaas.config}, …). */
        public String kafkaSecret() {
            return name;
        }

        /** Its Ed25519 key for signing the events it publishes ({@code signing.pem}). */
        public String signingKeySecret() {
            return name + "-signing-key";
        }

        /** Its store token for registering on retention-service's data map ({@code token}); stores only. */
        public String storeTokenSecret() {
            return name + "-store-token";
        }

        /** Every secret its pods read, by name. */
        public List<String> secretNames() {
            List<String> names = new ArrayList<>();
            names.add(databaseSecret());
            names.add(kafkaSecret());
            names.add(signingKeySecret());
            names.add(JWT_PUBLIC_KEY.name());
            names.add(KEY_STORE.secret());
            secrets.forEach(s -> names.add(s.name()));
            keyDirectories.values().forEach(names::add);
            mountedFiles.forEach(files -> names.add(files.secret()));
            if (store) {
                names.add(storeTokenSecret());
            }
            return names;
        }
    }

    private static Map<String, String> keyDirectory(String configPrefix, String secret) {
        return orderedMap(configPrefix, secret);
    }

    private static Map<String, String> orderedMap(String... keysAndValues) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }

    private static final List<ServiceSpec> SERVICES = List.of(
            new ServiceSpec(TopicAccess.CONSENT_SERVICE, "consent_service", true,
                    List.of(PSEUDONYM, KEYS_MASTER_KEY), Map.of(), List.of(TopicAccess.RETENTION_SERVICE), List.of()),
            new ServiceSpec(TopicAccess.REQUEST_SERVICE, "request_service", true,
                    List.of(PSEUDONYM, MAILER_PUBLIC_KEY, KEYS_MASTER_KEY),
                    keyDirectory("REQUESTS_AUDIT", "request-service-audit-keys"),
                    List.of(TopicAccess.RETENTION_SERVICE), List.of(OPENDSR_KEY)),
            new ServiceSpec(TopicAccess.RETENTION_SERVICE, "retention_service", false,
                    List.of(PSEUDONYM, KEYS_MASTER_KEY),
                    keyDirectory("RETENTION_CERTIFICATE", "retention-service-certificate-keys"), List.of(), List.of()),
            new ServiceSpec(TopicAccess.MAIL_LOG_STORE, "mail_log_store", true,
                    List.of(PSEUDONYM, MAIL_LOG_SAMPLING, KEYS_MASTER_KEY), Map.of(),
                    List.of(TopicAccess.RETENTION_SERVICE), List.of()));

    private PlatformServices() {
    }

    public static List<ServiceSpec> all() {
        return SERVICES;
    }

    /** The secrets the platform's operator provides, each once. */
    public static List<PlatformSecret> operatorSecrets() {
        List<PlatformSecret> all = new ArrayList<>();
        all.add(JWT_PUBLIC_KEY);
        SERVICES.forEach(s -> s.secrets().stream().filter(secret -> !all.contains(secret)).forEach(all::add));
        return all;
    }
}
