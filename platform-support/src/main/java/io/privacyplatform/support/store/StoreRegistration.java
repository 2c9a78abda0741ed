package io.privacyplatform.support.store;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.privacyplatform.support.security.ServiceSigningKey;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/**
 * Puts a store on retention-service's data map at start (categories, region, what it can do, which identifiers it
 * finds a subject by, and the public key its acks are signed with), so erasures and
 * retention runs address it. retention-service may start later: the store keeps trying, with backoff, until it
 * answers; a refusal (4xx, e.g. the residency rule) is logged and not retried.
 */
@ApplicationScoped
public class StoreRegistration {

    private static final Logger LOG = Logger.getLogger(StoreRegistration.class);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

    @Inject
    StoreRegistrationConfig config;

    @Inject
    ObjectMapper mapper;

    @Inject
    ServiceSigningKey signingKey;

    private volatile boolean registered;
    private volatile boolean stopping;
    private Thread thread;

    void start(@Observes StartupEvent event) {
        if (!config.enabled()) {
            return;
        }
        if (config.systemName().isEmpty() || config.retentionUrl().isEmpty() || config.token().isEmpty()) {
            LOG.info("privacy.store.system-name, retention-url or token not set: not registering with"
                    + " retention-service");
            return;
        }
        thread = new Thread(this::registerUntilAnswered, "store-registration");
        thread.setDaemon(true);
        thread.start();
    }

    void stop(@Observes ShutdownEvent event) {
        stopping = true;
        if (thread != null) {
            thread.interrupt();
        }
    }

    public boolean isRegistered() {
        return registered;
    }

    /** The body of {@code PUT /v1/systems/{systemName}}. */
    public Map<String, Object> description() {
        return description(signingKey.publicKeyBase64());
    }

    /**
     * @param ackPublicKey the public half of the key the relay signs this store's acks with: retention-service
     *        accepts only acks that verify with the key on the data map
     */
    Map<String, Object> description(String ackPublicKey) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("description", config.description().orElse(config.systemName().orElse("")));
        body.put("owner", config.owner().orElse("unknown"));
        body.put("region", config.region());
        body.put("categories", config.categories().orElse(List.of()));
        body.put("capabilities", config.capabilities().orElse(List.of()));
        body.put("ackTimeout", config.ackTimeout().toString());
        body.put("identifiers", config.identifiers());
        config.transferSafeguard().ifPresent(safeguard -> body.put("transferSafeguard", safeguard));
        body.put("ackPublicKey", ackPublicKey);
        return body;
    }

    private void registerUntilAnswered() {
        String system = config.systemName().orElseThrow();
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        Duration backoff = Duration.ofSeconds(1);
        while (!stopping) {
            try {
                HttpRequest request = HttpRequest.newBuilder(
                        URI.create(config.retentionUrl().orElseThrow() + "/v1/systems/" + system))
                        .timeout(Duration.ofSeconds(10))
                        .header("Authorization", "Bearer " + config.token().orElseThrow())
                        .header("Content-Type", "application/json")
                        .PUT(HttpRequest.BodyPublishers.ofString(mapper.writeValueAsString(description())))
                        .build();
                HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() / 100 == 2) {
                    registered = true;
                    LOG.infof("registered as %s with retention-service", system);
                    return;
                }
                if (response.statusCode() / 100 == 4) {
                    LOG.errorf("retention-service refused the registration of %s: %d %s", system,
                            response.statusCode(), response.body());
                    return;
                }
                LOG.warnf("retention-service answered %d to the registration of %s; retrying",
                        response.statusCode(), system);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception e) {
                LOG.debugf("retention-service not reachable yet (%s); retrying", e.getClass().getSimpleName());
            }
            try {
                // Retry backoff towards a service that may not be up yet (not test synchronisation).
                Thread.sleep(backoff.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
        }
    }
}
