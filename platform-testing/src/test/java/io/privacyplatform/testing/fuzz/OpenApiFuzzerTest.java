package io.privacyplatform.testing.fuzz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * The fuzzer against a deliberately careless service (JDK HTTP server): it must report the 5xx, the 4xx without the
 * error shape and the clearly invalid input answered 2xx, with the seed, and generate the same cases for a seed.
 */
class OpenApiFuzzerTest {

    private static final String DOCUMENT = """
            {"openapi":"3.1.0","paths":{
              "/v1/things":{"post":{"requestBody":{"content":{"application/json":{"schema":
                {"$ref":"#/components/schemas/Thing"}}}}}},
              "/v1/things/{id}":{"get":{"parameters":[{"name":"id","in":"path","required":true,
                "schema":{"type":"string"}}]}}},
             "components":{"schemas":{"Thing":{"type":"object","required":["name"],"properties":{
               "name":{"type":"string","maxLength":10},"at":{"type":"string","format":"date-time"},
               "flag":{"type":"boolean"}}}}}}""";

    private HttpServer server;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::careless);
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    /** Accepts any body (NUL makes it fail with 500), answers unknown things with a plain-text 404. */
    private void careless(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getRawPath();
        if (path.equals("/q/openapi")) {
            send(exchange, 200, "application/json", DOCUMENT);
        } else if (path.equals("/v1/things") && exchange.getRequestMethod().equals("POST")) {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            if (body.contains("\\u0000")) {
                send(exchange, 500, "text/plain", "boom");
            } else {
                send(exchange, 201, "application/json", "{}");
            }
        } else {
            send(exchange, 404, "text/plain", "no");
        }
    }

    private static void send(HttpExchange exchange, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", type);
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    private OpenApiFuzzer fuzzer(long seed) {
        // 1,000 cases: more than this document generates, so every case runs
        return new OpenApiFuzzer("127.0.0.1", server.getAddress().getPort(), seed, List.of("any"),
                principal -> "Bearer test").cases(1_000)
                .timeout(java.time.Duration.ofSeconds(3));
    }

    @Test
    void shouldReportServerErrorsMissingErrorShapeAndAcceptedInvalidInput() throws IOException {
        // enough cases for every generated one to run, so that none is left out by sampling
        List<String> failures = fuzzer(42).run().stream()
                .map(f -> f.problem() + " | " + f.request().operation() + " | " + f.request().description()).toList();
        assertThat(failures).anyMatch(f -> f.startsWith("a 5xx | POST /v1/things | body field name: NUL"));
        assertThat(failures).anyMatch(f -> f.startsWith("a 4xx without the JSON error shape | GET /v1/things/{id}"));
        assertThat(failures).contains(
                "clearly invalid input accepted | POST /v1/things | body: a duplicated key",
                "clearly invalid input accepted | POST /v1/things | body field at: year 300000",
                "clearly invalid input accepted | POST /v1/things | body field flag: 2^63",
                "clearly invalid input accepted | POST /v1/things | body field name: a number for a string");
    }

    @Test
    void shouldNameTheSeedAndACurlCommandOnFailure() {
        assertThatThrownBy(() -> fuzzer(7).runAndAssert()).isInstanceOf(AssertionError.class)
                .hasMessageContaining("seed=7").hasMessageContaining("-Dprivacy.fuzz.seed=7")
                .hasMessageContaining("curl -i -X");
    }

    @Test
    void shouldGenerateTheSameCasesForTheSameSeed() throws IOException {
        List<String> first = fuzzer(99).run().stream().map(f -> f.request().description()).toList();
        List<String> second = fuzzer(99).run().stream().map(f -> f.request().description()).toList();
        assertThat(first).isNotEmpty().isEqualTo(second);
    }
}
