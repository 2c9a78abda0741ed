package io.privacyplatform.request.service;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.micrometer.core.instrument.MeterRegistry;
import io.privacyplatform.request.OpenDsrCallback;
import io.privacyplatform.request.OpenDsrCallbackState;
import io.privacyplatform.request.OpenDsrDialect;
import io.privacyplatform.request.OpenDsrRequest;
import io.privacyplatform.request.OpenDsrStatus;
import io.privacyplatform.request.RequestStatusChanged;
import io.privacyplatform.request.config.RequestsConfig;
import io.privacyplatform.request.mapping.OpenDsrDocuments;
import io.privacyplatform.request.mapping.OpenDsrRequestParser;
import io.privacyplatform.request.repository.OpenDsrCallbackRepository;
import io.privacyplatform.request.repository.OpenDsrRequestRepository;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;

/**
 * Status callbacks (OpenDSR 8.5-8.7) through a durable outbox: a status change of a mapped rights request writes one
 * row per {@code status_callback_urls} entry in the transaction of the change, with the exact body to sign; a timer
 * sends the due rows, signed, and retries failures with a doubling backoff until {@code max-attempts}. Rows survive
 * restarts; an instance that dies mid-send leaves its rows to be tried again once their lease runs out, so a callback
 * may arrive twice, never not at all (unless given up, which is logged and counted).
 */
@ApplicationScoped
public class OpenDsrCallbacks {

    private static final Logger LOG = Logger.getLogger(OpenDsrCallbacks.class);
    static final int BATCH = 50;

    @Inject
    Clock clock;

    @Inject
    RequestsConfig config;

    @Inject
    OpenDsrRequestRepository openDsrRequests;

    @Inject
    OpenDsrCallbackRepository callbacks;

    @Inject
    OpenDsrSigningKey key;

    @Inject
    ObjectMapper mapper;

    @Inject
    MeterRegistry meters;

    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(5)).build();

    /** A callback claimed for one attempt, with what is needed to send it outside the transaction. */
    record Claimed(UUID id, URI url, byte[] body, OpenDsrDialect dialect, String domain) {
    }

    /** What one attempt achieved; {@code retry} false means trying again cannot help. */
    record Attempt(boolean delivered, String error, boolean retry) {
    }

    /** Inside the transaction of the change: the callbacks owed for a mapped request whose OpenDSR status moved. */
    void onStatusChange(@Observes RequestStatusChanged change) {
        OpenDsrStatus status = OpenDsrStatus.of(change.to());
        OpenDsrRequest openDsr = openDsrRequests.findByRequest(change.request().id).orElse(null);
        if (openDsr == null || openDsr.reportedStatus == status) {
            return;
        }
        openDsr.reportedStatus = status;
        URI base = URI.create(openDsr.processorBaseUrl);
        for (String url : openDsr.statusCallbackUrls) {
            OpenDsrCallback callback = new OpenDsrCallback();
            callback.id = UUID.randomUUID();
            callback.openDsrRequestId = openDsr.id;
            callback.url = url;
            callback.body = json(OpenDsrDocuments.status(openDsr, change.request(), base, url));
            callback.state = OpenDsrCallbackState.PENDING;
            callback.nextAttemptAt = change.at();
            callback.createdAt = change.at();
            callbacks.persist(callback);
        }
    }

    @Scheduled(identity = "opendsr-callbacks", every = "${requests.opendsr.callbacks.every}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        if (key.configured()) {
            deliverDue();
        }
    }

    /** One pass: sends every callback due now, batch by batch; answers how many were delivered. */
    public int deliverDue() {
        int delivered = 0;
        List<Claimed> batch;
        do {
            batch = QuarkusTransaction.requiringNew().call(this::claimDue);
            for (Claimed claimed : batch) {
                Attempt attempt = send(claimed);
                QuarkusTransaction.requiringNew().run(() -> record(claimed, attempt));
                delivered += attempt.delivered() ? 1 : 0;
            }
        } while (batch.size() == BATCH);
        return delivered;
    }

    /**
     * Locks the due rows and leases them (their next attempt moves past this one's timeout), so other instances and
     * the next pass leave them alone while they are being sent, and take them up again if this instance dies.
     */
    private List<Claimed> claimDue() {
        Instant now = now();
        Duration lease = config.opendsr().callbacks().timeout().multipliedBy(3).plusSeconds(30);
        List<Claimed> claimed = new ArrayList<>();
        for (OpenDsrCallback callback : callbacks.lockDue(now, BATCH)) {
            callback.nextAttemptAt = now.plus(lease);
            OpenDsrRequest openDsr = openDsrRequests.findById(callback.openDsrRequestId);
            claimed.add(new Claimed(callback.id, URI.create(callback.url),
                    callback.body.getBytes(StandardCharsets.UTF_8), openDsr.dialect,
                    URI.create(openDsr.processorBaseUrl).getHost()));
        }
        return claimed;
    }

    private Attempt send(Claimed callback) {
        if (!config.opendsr().callbacks().allowPrivateAddresses()) {
            try {
                for (InetAddress address : InetAddress.getAllByName(callback.url().getHost())) {
                    if (OpenDsrRequestParser.isPrivate(address)) {
                        return new Attempt(false, "refused: the host resolves to a private address", false);
                    }
                }
            } catch (UnknownHostException e) {
                return new Attempt(false, "unknown host", true);
            }
        }
        String signature = key.sign(callback.body());
        HttpRequest.Builder request = HttpRequest.newBuilder(callback.url())
                .timeout(config.opendsr().callbacks().timeout())
                .header("Content-Type", "application/json")
                .header(OpenDsrDialect.OPENDSR.signatureHeader(), signature)
                .header(OpenDsrDialect.OPENDSR.domainHeader(), callback.domain())
                .POST(HttpRequest.BodyPublishers.ofByteArray(callback.body()));
        if (callback.dialect() == OpenDsrDialect.OPENGDPR) {
            // A tool that sent the request by OpenDSR's former name may know only the former header names.
            request.header(OpenDsrDialect.OPENGDPR.signatureHeader(), signature)
                    .header(OpenDsrDialect.OPENGDPR.domainHeader(), callback.domain());
        }
        try {
            HttpResponse<Void> response = http.send(request.build(), HttpResponse.BodyHandlers.discarding());
            int status = response.statusCode();
            return status >= 200 && status < 300 ? new Attempt(true, null, false)
                    : new Attempt(false, "HTTP " + status, true);
        } catch (IOException e) {
            return new Attempt(false, e.getClass().getSimpleName(), true);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Attempt(false, "interrupted", true);
        }
    }

    private void record(Claimed claimed, Attempt attempt) {
        Instant now = now();
        OpenDsrCallback callback = callbacks.findById(claimed.id());
        if (callback == null || callback.state != OpenDsrCallbackState.PENDING) {
            return;
        }
        callback.attempts++;
        String outcome;
        if (attempt.delivered()) {
            callback.state = OpenDsrCallbackState.DELIVERED;
            callback.deliveredAt = now;
            outcome = "delivered";
        } else if (!attempt.retry() || callback.attempts >= config.opendsr().callbacks().maxAttempts()) {
            callback.state = OpenDsrCallbackState.GIVEN_UP;
            callback.lastError = attempt.error();
            outcome = "given_up";
            LOG.warnf("OpenDSR callback %s given up after %d attempt(s): %s", callback.id, callback.attempts,
                    attempt.error());
        } else {
            callback.lastError = attempt.error();
            callback.nextAttemptAt = now.plus(backoff(callback.attempts));
            outcome = "retry";
        }
        meters.counter("privacy.opendsr.callbacks", "outcome", outcome).increment();
    }

    /** After the n-th failed attempt: first-backoff, doubled per further attempt, at most max-backoff. */
    Duration backoff(int attempts) {
        RequestsConfig.OpenDsr.Callbacks settings = config.opendsr().callbacks();
        Duration wait = settings.firstBackoff().multipliedBy(1L << Math.min(attempts - 1, 20));
        return wait.compareTo(settings.maxBackoff()) > 0 ? settings.maxBackoff() : wait;
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    private String json(Object document) {
        try {
            return mapper.writeValueAsString(document);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write an OpenDSR status document", e);
        }
    }
}
