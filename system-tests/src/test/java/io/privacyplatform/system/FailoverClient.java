package io.privacyplatform.system;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * What a load balancer in front of a service's instances plus a well-behaved client amount to: requests go round
 * robin over the instances; when an instance does not answer (connection refused or reset: it died) or answers 5xx
 * (its database is away), the same request, with the same {@code Idempotency-Key}, goes to the next one, until
 * {@code giveUpAfter}. A 2xx answer is an acknowledgement: the write must then exist, exactly once.
 */
final class FailoverClient {

    /** A final answer: its status and body, and how many attempts it took. */
    record Answer(int status, JsonNode body, int attempts) {
        boolean acknowledged() {
            return status / 100 == 2;
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    /** A client's pause before a further round over every instance (a retry policy, not test synchronisation). */
    private static final Duration RETRY_ROUND_PAUSE = Duration.ofMillis(250);

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();
    private final List<String> instances;
    private final Duration giveUpAfter;
    private final AtomicInteger next = new AtomicInteger();
    /** Attempts that failed (no answer or 5xx) and were tried again elsewhere: the outages the client felt. */
    private final AtomicInteger failedAttempts = new AtomicInteger();

    FailoverClient(List<String> instances, Duration giveUpAfter) {
        this.instances = List.copyOf(instances);
        this.giveUpAfter = giveUpAfter;
    }

    int failedAttempts() {
        return failedAttempts.get();
    }

    /** POSTs {@code body} as JSON; {@code idempotencyKey} makes the retries safe (null: none sent). */
    Answer post(String path, String token, Object body, String idempotencyKey) {
        return write("POST", path, token, body, idempotencyKey);
    }

    /** PUTs {@code body} as JSON (a PUT is idempotent by itself). */
    Answer put(String path, String token, Object body) {
        return write("PUT", path, token, body, null);
    }

    private Answer write(String method, String path, String token, Object body, String idempotencyKey) {
        String json;
        try {
            json = JSON.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
        return send(base -> {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                    .timeout(Duration.ofSeconds(30))
                    .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(json));
            if (idempotencyKey != null) {
                request.header("Idempotency-Key", idempotencyKey);
            }
            return request.build();
        });
    }

    Answer get(String path, String token) {
        return send(base -> HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + token).GET().build());
    }

    private interface RequestFor {
        HttpRequest to(String base);
    }

    private Answer send(RequestFor request) {
        long deadline = System.nanoTime() + giveUpAfter.toNanos();
        int first = Math.floorMod(next.getAndIncrement(), instances.size());
        int attempts = 0;
        HttpResponse<String> last = null;
        while (true) {
            for (int i = 0; i < instances.size(); i++) {
                String base = instances.get((first + i) % instances.size());
                attempts++;
                try {
                    HttpResponse<String> response = http.send(request.to(base), HttpResponse.BodyHandlers.ofString());
                    last = response;
                    if (!retryable(response)) {
                        return new Answer(response.statusCode(), parse(response.body()), attempts);
                    }
                } catch (IOException e) {
                    // no answer: the instance is gone (or was killed while it had the request)
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
                failedAttempts.incrementAndGet();
            }
            if (System.nanoTime() > deadline) {
                return new Answer(last == null ? 0 : last.statusCode(), last == null ? null : parse(last.body()),
                        attempts);
            }
            try {
                Thread.sleep(RETRY_ROUND_PAUSE.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    /**
     * 5xx: the instance could not do it now (its database away, say). 409 idempotency_key_in_use: an earlier
     * attempt with this key is still running somewhere (or died holding it and its transaction is being rolled
     * back): asking again is what the error invites.
     */
    private static boolean retryable(HttpResponse<String> response) {
        return response.statusCode() >= 500
                || response.statusCode() == 409 && response.body().contains("idempotency_key_in_use");
    }

    private static JsonNode parse(String body) {
        try {
            return body == null || body.isBlank() ? null : JSON.readTree(body);
        } catch (JsonProcessingException e) {
            return null;
        }
    }
}
