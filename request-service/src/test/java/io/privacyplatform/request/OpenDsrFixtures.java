package io.privacyplatform.request;

import static io.restassured.RestAssured.given;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;

import io.privacyplatform.testing.TestTokens;
import io.restassured.response.Response;

/** The specification's example documents, OpenDSR calls, and a controller's side: signature checks and a callback endpoint. */
public final class OpenDsrFixtures {

    public static final ObjectMapper JSON = new ObjectMapper();

    private OpenDsrFixtures() {
    }

    /** One of the specification's examples in {@code src/test/resources/opendsr/}. */
    public static ObjectNode example(String name) {
        try (InputStream in = OpenDsrFixtures.class.getResourceAsStream("/opendsr/" + name + ".json")) {
            return (ObjectNode) JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The example request (7.2) with a new id, another type and these callback URLs. */
    public static ObjectNode exampleRequest(String type, String... callbackUrls) {
        ObjectNode request = example("request");
        request.put("subject_request_id", UUID.randomUUID().toString());
        request.put("subject_request_type", type);
        ArrayNode urls = request.putArray("status_callback_urls");
        for (String url : callbackUrls) {
            urls.add(url);
        }
        return request;
    }

    public static Set<String> fieldNames(JsonNode node) {
        Set<String> names = new TreeSet<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    public static Response post(String path, String tenant, JsonNode body) {
        return given().header("Authorization", TestTokens.bearer(tenant, "app")).contentType("application/json")
                .body(body.toString().getBytes(StandardCharsets.UTF_8)).post(path);
    }

    public static Response get(String path, String tenant) {
        return given().header("Authorization", TestTokens.bearer(tenant, "app")).get(path);
    }

    /**
     * Section 8.8 as a controller does it: the certificate from the URL the discovery document names, then the
     * signature checked over the raw body before anything parses it.
     */
    public static boolean verifies(byte[] body, String signature) {
        String certificateUrl = given().get("/opendsr/v1/discovery").then().statusCode(200).extract()
                .path("processor_certificate");
        byte[] pem = given().get(certificateUrl).then().statusCode(200).extract().asByteArray();
        try {
            X509Certificate certificate = (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(pem));
            Signature verifier = Signature.getInstance("SHA256withRSA");
            verifier.initVerify(certificate.getPublicKey());
            verifier.update(body);
            return verifier.verify(Base64.getDecoder().decode(signature));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** What a callback endpoint received: the raw body and the headers that matter. */
    public record Received(byte[] body, String signature, String domain, Map<String, List<String>> headers) {

        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** A controller's callback endpoint (JDK HttpServer) that fails the first {@code failures} calls with 500. */
    public static final class CallbackEndpoint implements AutoCloseable {

        public static final String PATH = "/opendsr/callbacks";
        private final HttpServer server;
        private final List<Received> received = Collections.synchronizedList(new ArrayList<>());
        private final AtomicInteger failuresLeft;

        public CallbackEndpoint(int failures) throws IOException {
            failuresLeft = new AtomicInteger(failures);
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext(PATH, exchange -> {
                byte[] body = exchange.getRequestBody().readAllBytes();
                received.add(new Received(body, exchange.getRequestHeaders().getFirst("X-OpenDSR-Signature"),
                        exchange.getRequestHeaders().getFirst("X-OpenDSR-Processor-Domain"),
                        Map.copyOf(exchange.getRequestHeaders())));
                exchange.sendResponseHeaders(failuresLeft.getAndDecrement() > 0 ? 500 : 202, -1);
                exchange.close();
            });
            server.start();
        }

        public String url() {
            return "http://127.0.0.1:" + server.getAddress().getPort() + PATH;
        }

        public List<Received> received() {
            return List.copyOf(received);
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }
}
