package io.privacyplatform.maillog.service;

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

import io.privacyplatform.maillog.config.MailLogConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/**
 * Puts this store on retention-service's data map at start (categories, region, what it can do), so erasures and
 * retention runs address it. retention-service may start later: the store keeps trying, with backoff, until it
 * answers; a refusal (4xx, e.g. the residency rule) is logged and not retried.
 */
@ApplicationScoped
public class SystemRegistration {

    private static final Logger LOG = Logger.getLogger(SystemRegistration.class);

    @Inject
    MailLogConfig config;

    @Inject
    ObjectMapper mapper;

    private volatile boolean registered;
    private volatile boolean stopping;
    private Thread thread;

    void start(@Observes StartupEvent event) {
        if (config.registration().retentionUrl().isEmpty() || config.registration().token().isEmpty()) {
            LOG.info("no mail-log.registration.retention-url/token: not registering with retention-service");
            return;
        }
        thread = new Thread(this::registerUntilAnswered, "system-registration");
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

    Map<String, Object> description() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("description", "Log of sent e-mails: headers for 35 days, 1 in 100 bodies for abuse review");
        body.put("owner", "e-mail delivery");
        body.put("region", config.region());
        body.put("categories", List.of(MailLogCommands.CATEGORY_HEADERS, MailLogCommands.CATEGORY_SAMPLE));
        body.put("capabilities", List.of("erase", "purge", "export", "restrict"));
        body.put("ackTimeout", config.registration().ackTimeout().toString());
        return body;
    }

    private void registerUntilAnswered() {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        Duration backoff = Duration.ofSeconds(1);
        while (!stopping) {
            try {
                HttpRequest request = HttpRequest.newBuilder(URI.create(config.registration().retentionUrl().get()
                        + "/v1/systems/" + config.systemName()))
                        .timeout(Duration.ofSeconds(10))
                        .header("Authorization", "Bearer " + config.registration().token().get())
                        .header("Content-Type", "application/json")
                        .PUT(HttpRequest.BodyPublishers.ofString(mapper.writeValueAsString(description())))
                        .build();
                HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() / 100 == 2) {
                    registered = true;
                    LOG.infof("registered as %s with retention-service", config.systemName());
                    return;
                }
                if (response.statusCode() / 100 == 4) {
                    LOG.errorf("retention-service refused the registration of %s: %d %s", config.systemName(),
                            response.statusCode(), response.body());
                    return;
                }
                LOG.warnf("retention-service answered %d; retrying", response.statusCode());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception e) {
                LOG.debugf("retention-service not reachable yet (%s); retrying", e.getClass().getSimpleName());
            }
            try {
                Thread.sleep(backoff.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            backoff = backoff.multipliedBy(2).compareTo(Duration.ofSeconds(30)) > 0 ? Duration.ofSeconds(30)
                    : backoff.multipliedBy(2);
        }
    }
}
