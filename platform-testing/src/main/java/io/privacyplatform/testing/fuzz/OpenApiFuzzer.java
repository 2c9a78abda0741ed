package io.privacyplatform.testing.fuzz;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;

/**
 * A fuzz run generated from a service's own OpenAPI document ({@code /q/openapi?format=json}): for every operation a
 * valid-ish request, then requests where one parameter, one body field or the whole body is replaced by a hostile
 * value (NUL, overflowing and far-out numbers and dates, wrong types, long and odd strings, malformed escapes,
 * duplicate keys, broken or missing bodies), sent over a raw socket with a bearer token of a role the operation
 * admits. Every answer must be below 500; every 4xx must carry the platform's JSON error shape
 * ({@code {"error":{"code":…,"message":…}}}); a clearly invalid input must not be answered 2xx.
 *
 * <p>The run is deterministic for a seed ({@link #SEED_PROPERTY} overrides the caller's); a failure names the seed,
 * the case and a curl command that repeats it.
 */
public final class OpenApiFuzzer {

    /** {@code -Dprivacy.fuzz.seed=…} repeats a reported run. */
    public static final String SEED_PROPERTY = "privacy.fuzz.seed";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_REPORTED = 15;

    private final String host;
    private final int port;
    private RawHttp http;
    private final List<String> principals;
    private final Function<String, String> bearerOf;
    private long seed;
    private int cases = 400;
    private final List<String> htmlPrefixes = new ArrayList<>();
    private final Set<String> skipped = new LinkedHashSet<>();
    private final Map<String, Predicate<JsonNode>> otherErrorShapes = new java.util.LinkedHashMap<>();

    private Random random;
    private int sent;
    /** How many answers had each status, for the run's summary (a run answered only 401s would show here). */
    private final java.util.TreeMap<Integer, Integer> statuses = new java.util.TreeMap<>();

    /**
     * @param principals labels of the tokens to try, in order of preference (for instance {@code "admin"},
     *            {@code "app"}); an operation is fuzzed with the first one it does not answer 401 or 403
     * @param bearerOf the {@code Authorization} header value for a label
     */
    public OpenApiFuzzer(String host, int port, long defaultSeed, List<String> principals,
            Function<String, String> bearerOf) {
        this.host = host;
        this.port = port;
        this.http = new RawHttp(host, port, 30_000);
        this.principals = List.copyOf(principals);
        this.bearerOf = bearerOf;
        String override = System.getProperty(SEED_PROPERTY);
        this.seed = override == null || override.isBlank() ? defaultSeed : Long.parseLong(override.trim());
    }

    /**
     * A run against a service under test on {@code localhost:port} with {@link io.privacyplatform.testing.TestTokens}:
     * each principal is {@code tenant:role}, tried in the order given.
     */
    public static OpenApiFuzzer withTestTokens(int port, long defaultSeed, String... tenantRoles) {
        return new OpenApiFuzzer("localhost", port, defaultSeed, List.of(tenantRoles), principal -> {
            int colon = principal.indexOf(':');
            return io.privacyplatform.testing.TestTokens.bearer(principal.substring(0, colon),
                    principal.substring(colon + 1));
        });
    }

    /** How long one request may take before it counts as unanswered (default 30 s). */
    public OpenApiFuzzer timeout(java.time.Duration timeout) {
        this.http = new RawHttp(host, port, (int) timeout.toMillis());
        return this;
    }

    /** About how many requests the run sends (at least a few per operation). */
    public OpenApiFuzzer cases(int cases) {
        this.cases = cases;
        return this;
    }

    /**
     * Pages at this path (and below it, unless it is "/") answer people in HTML: their 4xx need not be JSON (never a
     * 5xx, still).
     */
    public OpenApiFuzzer htmlPages(String pathPrefix) {
        htmlPrefixes.add(pathPrefix);
        return this;
    }

    /**
     * Operations at this path (and below it) answer 4xx in a documented shape of their own, such as a protocol's error
     * object: a JSON body that {@code isErrorBody} accepts passes as well as the platform's shape (which the HTTP
     * layer's refusals before any resource keep).
     */
    public OpenApiFuzzer errorShape(String pathPrefix, Predicate<JsonNode> isErrorBody) {
        otherErrorShapes.put(pathPrefix, isErrorBody);
        return this;
    }

    /** Leaves one operation out (say why where you call it). */
    public OpenApiFuzzer skip(String method, String path) {
        skipped.add(method.toUpperCase(Locale.ROOT) + " " + path);
        return this;
    }

    public long seed() {
        return seed;
    }

    /** Runs every case and throws an {@link AssertionError} naming the failures, with the seed to repeat them. */
    public void runAndAssert() throws IOException {
        List<Failure> failures = run();
        if (!failures.isEmpty()) {
            StringBuilder report = new StringBuilder("OpenApiFuzzer seed=" + seed + " (repeat with -D" + SEED_PROPERTY
                    + "=" + seed + "): " + failures.size() + " of " + sent + " requests failed\n");
            for (Failure failure : failures.subList(0, Math.min(MAX_REPORTED, failures.size()))) {
                report.append(failure.describe(host, port)).append('\n');
            }
            throw new AssertionError(report.toString());
        }
    }

    /** Runs every case; the failures, empty when the service held. */
    public List<Failure> run() throws IOException {
        random = new Random(seed);
        sent = 0;
        statuses.clear();
        RawHttp.Response document = http.send("GET", "/q/openapi?format=json", List.of(), null);
        if (document.status() != 200) {
            throw new IllegalStateException("no OpenAPI document at /q/openapi: " + document.status());
        }
        JsonNode api = JSON.readTree(document.body());
        List<Operation> operations = operations(api);
        int perOperation = Math.max(8, cases / Math.max(1, operations.size()));
        List<Failure> failures = new ArrayList<>();
        for (Case special : httpLayerCases()) {
            check(special, failures);
        }
        for (Operation operation : operations) {
            if (skipped.contains(operation.method() + " " + operation.path())) {
                continue;
            }
            String principal = choosePrincipal(operation, failures);
            List<Case> all = cases(operation, principal);
            Case valid = all.get(0);
            List<Case> hostile = new ArrayList<>(all.subList(1, all.size()));
            Collections.shuffle(hostile, random);
            check(valid, failures);
            for (Case c : hostile.subList(0, Math.min(perOperation - 1, hostile.size()))) {
                check(c, failures);
            }
        }
        System.out.printf("OpenApiFuzzer seed=%d: %d operations, %d requests, %d failures, answers by status %s%n",
                seed, operations.size(), sent, failures.size(), statuses);
        return failures;
    }

    // ---------------------------------------------------------------------------------------------------------
    // The document

    record Param(String name, String in, JsonNode schema, boolean required) {
    }

    record Operation(String method, String path, List<Param> params, String contentType, JsonNode bodySchema,
            boolean bodyRequired) {
    }

    private List<Operation> operations(JsonNode api) {
        List<Operation> operations = new ArrayList<>();
        Iterator<Map.Entry<String, JsonNode>> paths = api.path("paths").fields();
        while (paths.hasNext()) {
            Map.Entry<String, JsonNode> path = paths.next();
            if (path.getKey().startsWith("/q/")) {
                continue;
            }
            Iterator<Map.Entry<String, JsonNode>> methods = path.getValue().fields();
            while (methods.hasNext()) {
                Map.Entry<String, JsonNode> method = methods.next();
                if (!Set.of("get", "put", "post", "delete", "patch").contains(method.getKey())) {
                    continue;
                }
                JsonNode op = method.getValue();
                List<Param> params = new ArrayList<>();
                for (JsonNode p : concat(path.getValue().path("parameters"), op.path("parameters"))) {
                    JsonNode param = resolve(api, p);
                    params.add(new Param(param.path("name").asText(), param.path("in").asText(),
                            resolve(api, param.path("schema")), param.path("required").asBoolean(false)));
                }
                String contentType = null;
                JsonNode bodySchema = MissingNode.getInstance();
                JsonNode content = resolve(api, op.path("requestBody")).path("content");
                for (String type : List.of("application/json", "application/x-www-form-urlencoded",
                        "multipart/form-data", "text/plain")) {
                    if (content.has(type)) {
                        contentType = type;
                        bodySchema = content.path(type).path("schema");
                        break;
                    }
                }
                if (contentType == null && content.fields().hasNext()) {
                    Map.Entry<String, JsonNode> first = content.fields().next();
                    contentType = first.getKey();
                    bodySchema = first.getValue().path("schema");
                }
                operations.add(new Operation(method.getKey().toUpperCase(Locale.ROOT), path.getKey(), params,
                        contentType, expand(api, bodySchema, 0), op.path("requestBody").path("required")
                                .asBoolean(false)));
            }
        }
        operations.sort((a, b) -> (a.path() + a.method()).compareTo(b.path() + b.method()));
        return operations;
    }

    private static List<JsonNode> concat(JsonNode a, JsonNode b) {
        List<JsonNode> all = new ArrayList<>();
        a.forEach(all::add);
        b.forEach(all::add);
        return all;
    }

    private static JsonNode resolve(JsonNode api, JsonNode node) {
        for (int i = 0; i < 10 && node.has("$ref"); i++) {
            String ref = node.path("$ref").asText();
            node = api.at(ref.substring(1));
        }
        return node;
    }

    /** The schema with every $ref, allOf, anyOf and oneOf replaced by what it stands for (first alternative). */
    private static JsonNode expand(JsonNode api, JsonNode schema, int depth) {
        JsonNode node = resolve(api, schema);
        if (depth > 6 || node.isMissingNode()) {
            return node;
        }
        for (String combinator : List.of("allOf", "anyOf", "oneOf")) {
            if (node.path(combinator).isArray() && node.path(combinator).size() > 0) {
                for (JsonNode alternative : node.path(combinator)) {
                    JsonNode expanded = expand(api, alternative, depth + 1);
                    if (!"null".equals(expanded.path("type").asText())) {
                        return merge(node, expanded);
                    }
                }
            }
        }
        com.fasterxml.jackson.databind.node.ObjectNode copy = node.deepCopy();
        if (node.has("properties")) {
            com.fasterxml.jackson.databind.node.ObjectNode properties = JSON.createObjectNode();
            node.path("properties").fields()
                    .forEachRemaining(e -> properties.set(e.getKey(), expand(api, e.getValue(), depth + 1)));
            copy.set("properties", properties);
        }
        if (node.has("items")) {
            copy.set("items", expand(api, node.path("items"), depth + 1));
        }
        if (node.path("additionalProperties").isObject()) {
            copy.set("additionalProperties", expand(api, node.path("additionalProperties"), depth + 1));
        }
        return copy;
    }

    private static JsonNode merge(JsonNode outer, JsonNode inner) {
        com.fasterxml.jackson.databind.node.ObjectNode merged = inner.deepCopy();
        outer.fields().forEachRemaining(e -> {
            if (!Set.of("allOf", "anyOf", "oneOf").contains(e.getKey()) && !merged.has(e.getKey())) {
                merged.set(e.getKey(), e.getValue());
            }
        });
        return merged;
    }

    private static String typeOf(JsonNode schema) {
        JsonNode type = schema.path("type");
        if (type.isTextual()) {
            return type.asText();
        }
        if (type.isArray()) {
            for (JsonNode t : type) {
                if (!"null".equals(t.asText())) {
                    return t.asText();
                }
            }
        }
        if (schema.has("properties") || schema.has("additionalProperties")) {
            return "object";
        }
        if (schema.has("items")) {
            return "array";
        }
        return "string";
    }

    // ---------------------------------------------------------------------------------------------------------
    // Cases

    /** One request; {@code clearlyInvalid}: no correct service may accept it with a 2xx. */
    public record Case(String operation, String description, boolean clearlyInvalid, String method, String target,
            String principal, List<Map.Entry<String, String>> headers, byte[] body) {
    }

    /** A hostile value: raw JSON text (or raw parameter text) and whether it can never be valid there. */
    record Hostile(String label, String raw, boolean clearlyInvalid) {
    }

    private List<Case> httpLayerCases() {
        String opName = "HTTP layer";
        List<Case> cases = new ArrayList<>();
        String principal = principals.get(0);
        cases.add(new Case(opName, "URI longer than the limit", true, "GET",
                "/v1/" + "a".repeat(12_000), principal, List.of(), null));
        cases.add(new Case(opName, "headers larger than the limit", true, "GET", "/v1/none", principal,
                List.of(Map.entry("X-Padding", "p".repeat(30_000))), null));
        cases.add(new Case(opName, "malformed escape in the path", true, "GET", "/v1/%zz", principal, List.of(),
                null));
        cases.add(new Case(opName, "NUL in the path", true, "GET", "/v1/a%00b", principal, List.of(), null));
        cases.add(new Case(opName, "declared body larger than the limit", true, "POST", "/v1/none", principal,
                List.of(Map.entry("Content-Type", "application/json"), Map.entry("Content-Length", "52428800")),
                null));
        return cases;
    }

    private String choosePrincipal(Operation operation, List<Failure> failures) throws IOException {
        for (String principal : principals) {
            Case probe = validCase(operation, principal);
            RawHttp.Response response = send(probe, failures);
            if (response != null && response.status() != 401 && response.status() != 403) {
                return principal;
            }
        }
        return principals.get(0);
    }

    private List<Case> cases(Operation op, String principal) {
        List<Case> cases = new ArrayList<>();
        cases.add(validCase(op, principal));
        for (Param param : op.params()) {
            for (Hostile hostile : paramHostiles(param)) {
                cases.add(build(op, principal, param.in() + " parameter " + param.name() + ": " + hostile.label(),
                        hostile.clearlyInvalid(), param, hostile.raw(), null, null));
            }
        }
        if (op.contentType() != null) {
            if (op.contentType().equals("application/json")) {
                for (Map.Entry<String, Hostile> field : bodyFieldHostiles(op.bodySchema(), "", 0)) {
                    String body = bodyWith(op.bodySchema(), field.getKey(), field.getValue().raw());
                    cases.add(build(op, principal, "body field " + field.getKey() + ": " + field.getValue().label(),
                            field.getValue().clearlyInvalid(), null, null, body, "application/json"));
                }
                for (Hostile whole : bodyHostiles(op)) {
                    cases.add(build(op, principal, "body: " + whole.label(), whole.clearlyInvalid(), null, null,
                            whole.raw(), whole.label().startsWith("content type") ? "text/plain"
                                    : "application/json"));
                }
            } else {
                for (Hostile whole : formHostiles(op)) {
                    String type = whole.label().startsWith("multipart") ? "multipart/form-data"
                            : "application/x-www-form-urlencoded";
                    cases.add(build(op, principal, "form: " + whole.label(), whole.clearlyInvalid(), null, null,
                            whole.raw(), type));
                }
            }
        }
        return cases;
    }

    private Case validCase(Operation op, String principal) {
        String body = null;
        if (op.contentType() != null) {
            body = op.contentType().equals("application/json") ? validJson(op.bodySchema(), "", 0)
                    : validForm(op.bodySchema());
        }
        return build(op, principal, "valid-ish request", false, null, null, body,
                op.contentType() == null ? null
                        : op.contentType().startsWith("multipart") ? "application/x-www-form-urlencoded"
                                : op.contentType());
    }

    /** The request with every parameter valid except {@code replaced}, which takes the raw text {@code raw}. */
    private Case build(Operation op, String principal, String description, boolean clearlyInvalid, Param replaced,
            String raw, String body, String contentType) {
        String path = op.path();
        StringBuilder query = new StringBuilder();
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        headers.add(Map.entry("Authorization", bearerOf.apply(principal)));
        headers.add(Map.entry("Accept", "application/json, */*;q=0.5"));
        for (Param param : op.params()) {
            boolean isReplaced = param == replaced;
            String value = isReplaced ? raw : encode(validText(param.schema(), param.name()));
            if (!isReplaced && !param.required() && random.nextInt(3) == 0) {
                continue;
            }
            switch (param.in()) {
                case "path" -> path = path.replace("{" + param.name() + "}", value);
                case "query" -> query.append(query.isEmpty() ? '?' : '&').append(param.name()).append('=')
                        .append(value);
                case "header" -> headers.add(Map.entry(param.name(), isReplaced ? raw : validText(param.schema(),
                        param.name())));
                default -> {
                }
            }
        }
        if (contentType != null) {
            headers.add(Map.entry("Content-Type", contentType));
        }
        return new Case(op.method() + " " + op.path(), description, clearlyInvalid, op.method(), path + query,
                principal, headers, body == null ? null : body.getBytes(StandardCharsets.UTF_8));
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private List<Hostile> paramHostiles(Param param) {
        List<Hostile> hostiles = new ArrayList<>();
        if (param.in().equals("header")) {
            // Only what a header can carry on the wire: the codec itself refuses control characters.
            hostiles.add(new Hostile("long value", "h".repeat(5_000), false));
            hostiles.add(new Hostile("odd characters", "' OR 1=1 -- \" <x> %00 ../", false));
            hostiles.add(new Hostile("empty", "", false));
            return hostiles;
        }
        hostiles.add(new Hostile("NUL", "a%00b", true));
        hostiles.add(new Hostile("only NUL", "%00", true));
        hostiles.add(new Hostile("malformed escape", "a%zz", true));
        hostiles.add(new Hostile("truncated escape", "a%", true));
        hostiles.add(new Hostile("invalid UTF-8", "%FF%FE%C3%28", false));
        hostiles.add(new Hostile("unicode", encode("ℌé𝔩𝔩ø 🙂 \u202e"), false));
        hostiles.add(new Hostile("control characters", "a%01%1F%7Fb", false));
        hostiles.add(new Hostile("long value", "x".repeat(5_000), false));
        hostiles.add(new Hostile("dot segments", "..%2F..%2Fetc%2Fpasswd", false));
        hostiles.add(new Hostile("SQL-ish", encode("' OR 1=1 --"), false));
        hostiles.add(new Hostile("far future date", encode("+300000-01-01T00:00:00Z"), false));
        hostiles.add(new Hostile("far past date", encode("-1000000000-01-01T00:00:00Z"), false));
        hostiles.add(new Hostile("date with control character", "2025-01-01T00:00:00Z%01", false));
        hostiles.add(new Hostile("1e309", "1e309", false));
        hostiles.add(new Hostile("2^63", "9223372036854775808", false));
        hostiles.add(new Hostile("negative", "-1", false));
        if (param.in().equals("query")) {
            hostiles.add(new Hostile("empty", "", false));
        }
        String type = typeOf(param.schema());
        if (type.equals("integer")) {
            hostiles.add(new Hostile("text for an integer", "abc", true));
            hostiles.add(new Hostile("fraction for an integer", "1.5", true));
        }
        if (param.schema().has("enum")) {
            hostiles.add(new Hostile("value outside the enumeration", "not-listed", true));
        }
        if ("uuid".equals(param.schema().path("format").asText())) {
            hostiles.add(new Hostile("not a UUID", "not-a-uuid", true));
        }
        return hostiles;
    }

    private List<Map.Entry<String, Hostile>> bodyFieldHostiles(JsonNode schema, String prefix, int depth) {
        List<Map.Entry<String, Hostile>> all = new ArrayList<>();
        if (depth > 2 || !typeOf(schema).equals("object")) {
            return all;
        }
        schema.path("properties").fields().forEachRemaining(property -> {
            String field = prefix + property.getKey();
            for (Hostile hostile : valueHostiles(property.getValue())) {
                all.add(Map.entry(field, hostile));
            }
            all.addAll(bodyFieldHostiles(property.getValue(), field + ".", depth + 1));
            JsonNode items = property.getValue().path("items");
            if (typeOf(property.getValue()).equals("array") && typeOf(items).equals("object")) {
                all.addAll(bodyFieldHostiles(items, field + "[0].", depth + 1));
            }
        });
        return all;
    }

    private List<Hostile> valueHostiles(JsonNode schema) {
        String type = typeOf(schema);
        List<Hostile> hostiles = new ArrayList<>();
        hostiles.add(new Hostile("null", "null", false));
        if (!type.equals("object")) {
            hostiles.add(new Hostile("an object", "{\"x\":1}", true));
        }
        if (!type.equals("array")) {
            hostiles.add(new Hostile("an array", "[1,2]", true));
        }
        switch (type) {
            case "string" -> {
                hostiles.add(new Hostile("NUL in a string", "\"a\\u0000b\"", true));
                hostiles.add(new Hostile("a number for a string", "12345", true));
                hostiles.add(new Hostile("a boolean for a string", "true", true));
                int max = schema.path("maxLength").asInt(Integer.MAX_VALUE);
                hostiles.add(new Hostile("100,000 characters", "\"" + "x".repeat(100_000) + "\"",
                        max < 100_000 || schema.has("enum") || schema.has("format")));
                hostiles.add(new Hostile("unicode", "\"ℌé𝔩𝔩ø 🙂 \\u202e\"", schema.has("enum")));
                hostiles.add(new Hostile("control characters", "\"a\\u0001\\u001fb\"", schema.has("enum")));
                hostiles.add(new Hostile("lone surrogate", "\"\\ud800\"", schema.has("enum")));
                hostiles.add(new Hostile("empty", "\"\"", false));
                if (schema.has("enum")) {
                    hostiles.add(new Hostile("value outside the enumeration", "\"not-listed\"", true));
                }
                if ("date-time".equals(schema.path("format").asText())) {
                    hostiles.add(new Hostile("year -10^9", "\"-1000000000-01-01T00:00:00Z\"", true));
                    hostiles.add(new Hostile("year 300000", "\"+300000-01-01T00:00:00Z\"", true));
                    hostiles.add(new Hostile("trailing control character", "\"2025-01-01T00:00:00Z\\u0001\"",
                            true));
                    hostiles.add(new Hostile("1e309 as a number", "1e309", true));
                    hostiles.add(new Hostile("1e309 as a string", "\"1e309\"", true));
                    hostiles.add(new Hostile("epoch number", "0", true));
                    hostiles.add(new Hostile("before 1970", "\"1969-12-31T23:59:59Z\"", true));
                    hostiles.add(new Hostile("impossible date", "\"2025-13-45T99:99:99Z\"", true));
                }
            }
            case "integer", "number" -> {
                hostiles.add(new Hostile("1e309", "1e309", true));
                hostiles.add(new Hostile("2^63", "9223372036854775808", true));
                hostiles.add(new Hostile("-2^63-1", "-9223372036854775809", true));
                hostiles.add(new Hostile("a fraction", "1.5", type.equals("integer")));
                hostiles.add(new Hostile("a numeric string", "\"12\"", true));
                hostiles.add(new Hostile("negative", "-1", schema.has("minimum")
                        && schema.path("minimum").asDouble() > -1));
                hostiles.add(new Hostile("2^31", "2147483648", "int32".equals(schema.path("format").asText())));
            }
            case "boolean" -> {
                hostiles.add(new Hostile("2^63", "9223372036854775808", true));
                hostiles.add(new Hostile("1", "1", true));
                hostiles.add(new Hostile("a string \"true\"", "\"true\"", true));
            }
            case "array" -> {
                hostiles.add(new Hostile("a string for an array", "\"x\"", true));
                hostiles.add(new Hostile("an object for an array", "{}", true));
                int max = schema.path("maxItems").asInt(Integer.MAX_VALUE);
                String item = validJson(schema.path("items"), "", 3);
                hostiles.add(new Hostile("2,000 items", "[" + String.join(",", Collections.nCopies(2_000, item))
                        + "]", max < 2_000));
            }
            case "object" -> {
                hostiles.add(new Hostile("a string for an object", "\"x\"", true));
                hostiles.add(new Hostile("an array for an object", "[]", true));
                if (schema.path("additionalProperties").isObject()) {
                    hostiles.add(new Hostile("NUL in a key", "{\"a\\u0000\":" + validJson(
                            schema.path("additionalProperties"), "", 3) + "}", true));
                } else if (schema.has("properties")) {
                    hostiles.add(new Hostile("an unknown field", "{\"noSuchField\":1}", true));
                }
            }
            default -> {
            }
        }
        return hostiles;
    }

    private List<Hostile> bodyHostiles(Operation op) {
        JsonNode schema = op.bodySchema();
        boolean needsBody = op.bodyRequired() || schema.path("required").size() > 0
                || typeOf(schema).equals("array");
        String valid = validJson(schema, "", 0);
        List<Hostile> hostiles = new ArrayList<>();
        hostiles.add(new Hostile("missing", null, needsBody));
        hostiles.add(new Hostile("empty", "", needsBody));
        hostiles.add(new Hostile("JSON null", "null", needsBody));
        hostiles.add(new Hostile("not JSON", "hello", true));
        hostiles.add(new Hostile("truncated", valid.substring(0, Math.max(1, valid.length() / 2)), true));
        hostiles.add(new Hostile("trailing garbage", valid + " x", true));
        hostiles.add(new Hostile("nested 5,000 deep", "[".repeat(5_000) + "]".repeat(5_000), true));
        hostiles.add(new Hostile("content type text/plain", valid, true));
        if (typeOf(schema).equals("object")) {
            hostiles.add(new Hostile("an array for the object", "[" + valid + "]", true));
            String duplicated = duplicateFirstKey(schema, valid);
            if (duplicated != null) {
                hostiles.add(new Hostile("a duplicated key", duplicated, true));
            }
        }
        return hostiles;
    }

    private String duplicateFirstKey(JsonNode schema, String valid) {
        Iterator<Map.Entry<String, JsonNode>> properties = schema.path("properties").fields();
        if (!properties.hasNext() || !valid.startsWith("{\"")) {
            return null;
        }
        Map.Entry<String, JsonNode> first = properties.next();
        return "{\"" + first.getKey() + "\":" + validJson(first.getValue(), first.getKey(), 3) + ","
                + valid.substring(1);
    }

    private List<Hostile> formHostiles(Operation op) {
        List<Hostile> hostiles = new ArrayList<>();
        String field = op.bodySchema().path("properties").fieldNames().hasNext()
                ? op.bodySchema().path("properties").fieldNames().next() : "field";
        hostiles.add(new Hostile("malformed escape", field + "=%zz", true));
        hostiles.add(new Hostile("truncated escape", field + "=abc%", true));
        hostiles.add(new Hostile("NUL", field + "=a%00b", false));
        hostiles.add(new Hostile("no equals sign", "justtext", false));
        hostiles.add(new Hostile("empty", "", false));
        hostiles.add(new Hostile("many fields", String.join("&", Collections.nCopies(5_000, "a=b")), false));
        hostiles.add(new Hostile("binary", "\u0001\u00ff\u0000=\u0002", false));
        hostiles.add(new Hostile("multipart without boundary", "--x\r\n\r\nbroken", true));
        return hostiles;
    }

    // ---------------------------------------------------------------------------------------------------------
    // Valid-ish values

    private String validJson(JsonNode schema, String name, int depth) {
        String type = typeOf(schema);
        switch (type) {
            case "object" -> {
                if (depth > 4) {
                    return "{}";
                }
                List<String> members = new ArrayList<>();
                Set<String> required = new LinkedHashSet<>();
                schema.path("required").forEach(r -> required.add(r.asText()));
                schema.path("properties").fields().forEachRemaining(p -> {
                    if (required.contains(p.getKey()) || random.nextInt(10) < 7) {
                        members.add(quoted(p.getKey()) + ":"
                                + validJson(p.getValue(), p.getKey(), depth + 1));
                    }
                });
                if (schema.path("additionalProperties").isObject() && !schema.has("properties")) {
                    members.add("\"fuzz-key\":" + validJson(schema.path("additionalProperties"), "", depth + 1));
                }
                return "{" + String.join(",", members) + "}";
            }
            case "array" -> {
                int count = Math.min(3, Math.max(1, schema.path("minItems").asInt(1)));
                List<String> items = new ArrayList<>();
                for (int i = 0; i < count; i++) {
                    items.add(validJson(schema.path("items"), name, depth + 1));
                }
                return "[" + String.join(",", items) + "]";
            }
            case "integer", "number" -> {
                return Long.toString(Math.max(schema.path("minimum").asLong(1), 1));
            }
            case "boolean" -> {
                return Boolean.toString(random.nextBoolean());
            }
            default -> {
                return quoted(validText(schema, name));
            }
        }
    }

    private String validText(JsonNode schema, String name) {
        if (schema.has("enum") && schema.path("enum").size() > 0) {
            JsonNode values = schema.path("enum");
            return values.get(random.nextInt(values.size())).asText();
        }
        String format = schema.path("format").asText();
        String lower = name.toLowerCase(Locale.ROOT);
        switch (typeOf(schema)) {
            case "integer", "number" -> {
                return Long.toString(Math.max(schema.path("minimum").asLong(1), 1));
            }
            case "boolean" -> {
                return Boolean.toString(random.nextBoolean());
            }
            default -> {
            }
        }
        if (format.equals("date-time")) {
            return Instant.now().minus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS).toString();
        }
        if (format.equals("date")) {
            return "2026-01-31";
        }
        if (format.equals("uuid")) {
            return new UUID(random.nextLong(), random.nextLong()).toString();
        }
        String token = Long.toString(random.nextLong() & Long.MAX_VALUE, 36);
        if (format.equals("email") || lower.contains("email") || lower.equals("from") || lower.equals("to")
                || lower.equals("cc")) {
            return "fuzz-" + token + "@example.com";
        }
        return "fuzz-" + token;
    }

    private static String quoted(String text) {
        try {
            return JSON.writeValueAsString(text);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private String validForm(JsonNode schema) {
        List<String> fields = new ArrayList<>();
        schema.path("properties").fields().forEachRemaining(
                p -> fields.add(encode(p.getKey()) + "=" + encode(validText(p.getValue(), p.getKey()))));
        return String.join("&", fields);
    }

    /** The valid body with the field at {@code path} (a.b, a[0].b) replaced by raw JSON text. */
    private String bodyWith(JsonNode schema, String path, String raw) {
        return replaceIn(schema, List.of(path.split("\\.")), raw, 0);
    }

    private String replaceIn(JsonNode schema, List<String> path, String raw, int depth) {
        String head = path.get(0);
        boolean indexed = head.endsWith("[0]");
        String key = indexed ? head.substring(0, head.length() - 3) : head;
        List<String> members = new ArrayList<>();
        Set<String> required = new LinkedHashSet<>();
        schema.path("required").forEach(r -> required.add(r.asText()));
        Iterator<Map.Entry<String, JsonNode>> properties = schema.path("properties").fields();
        while (properties.hasNext()) {
            Map.Entry<String, JsonNode> p = properties.next();
            String value;
            if (p.getKey().equals(key)) {
                if (path.size() == 1) {
                    value = raw;
                } else if (indexed) {
                    value = "[" + replaceIn(p.getValue().path("items"), path.subList(1, path.size()), raw,
                            depth + 1) + "]";
                } else {
                    value = replaceIn(p.getValue(), path.subList(1, path.size()), raw, depth + 1);
                }
            } else if (required.contains(p.getKey()) || random.nextInt(10) < 7) {
                value = validJson(p.getValue(), p.getKey(), depth + 1);
            } else {
                continue;
            }
            members.add(quoted(p.getKey()) + ":" + value);
        }
        return "{" + String.join(",", members) + "}";
    }

    // ---------------------------------------------------------------------------------------------------------
    // Checking

    /** A case the service answered wrongly. */
    public record Failure(long seed, Case request, int status, String responseBody, String problem) {

        String describe(String host, int port) {
            StringBuilder curl = new StringBuilder("curl -i -X ").append(request.method()).append(" '")
                    .append("http://").append(host).append(':').append(port).append(request.target()).append('\'');
            for (Map.Entry<String, String> header : request.headers()) {
                String value = header.getKey().equals("Authorization") ? "Bearer <token of " + request.principal()
                        + ">" : header.getValue();
                curl.append(" -H '").append(header.getKey()).append(": ").append(abbreviate(value, 200)).append('\'');
            }
            if (request.body() != null) {
                curl.append(" --data-binary $'")
                        .append(abbreviate(escape(new String(request.body(), StandardCharsets.UTF_8)), 600))
                        .append('\'');
            }
            return "- " + request.operation() + " [" + request.description() + "] → " + status + ": " + problem
                    + "\n    " + curl + "\n    response: " + abbreviate(responseBody, 300);
        }

        private static String escape(String text) {
            StringBuilder out = new StringBuilder();
            for (char c : text.toCharArray()) {
                if (c == '\'' || c == '\\') {
                    out.append('\\').append(c);
                } else if (c < 0x20 || c == 0x7f) {
                    out.append(String.format("\\x%02x", (int) c));
                } else {
                    out.append(c);
                }
            }
            return out.toString();
        }

        private static String abbreviate(String text, int max) {
            if (text == null) {
                return "";
            }
            return text.length() <= max ? text : text.substring(0, max) + "…(" + text.length() + " chars)";
        }
    }

    private RawHttp.Response send(Case c, List<Failure> failures) {
        sent++;
        try {
            RawHttp.Response response = http.send(c.method(), c.target(), c.headers(), c.body());
            statuses.merge(response.status(), 1, Integer::sum);
            return response;
        } catch (IOException e) {
            failures.add(new Failure(seed, c, 0, "", "no answer: " + e));
            return null;
        }
    }

    private void check(Case c, List<Failure> failures) {
        RawHttp.Response response = send(c, failures);
        if (response == null) {
            return;
        }
        int status = response.status();
        if (status >= 500) {
            failures.add(new Failure(seed, c, status, response.body(), "a 5xx"));
        } else if (status >= 400 && !isHtmlPage(c) && !hasErrorShape(response) && !hasOtherErrorShape(c, response)) {
            failures.add(new Failure(seed, c, status, response.body(), "a 4xx without the JSON error shape"));
        } else if (status >= 200 && status < 300 && c.clearlyInvalid()) {
            failures.add(new Failure(seed, c, status, response.body(), "clearly invalid input accepted"));
        }
    }

    private boolean isHtmlPage(Case c) {
        String path = c.operation().substring(c.operation().indexOf(' ') + 1);
        return htmlPrefixes.stream().anyMatch(prefix -> path.equals(prefix)
                || (!prefix.equals("/") && path.startsWith(prefix + "/")));
    }

    private boolean hasOtherErrorShape(Case c, RawHttp.Response response) {
        String path = c.operation().substring(c.operation().indexOf(' ') + 1);
        String type = response.header("Content-Type");
        if (type == null || !type.startsWith("application/json")) {
            return false;
        }
        for (Map.Entry<String, Predicate<JsonNode>> shape : otherErrorShapes.entrySet()) {
            if (path.equals(shape.getKey()) || path.startsWith(shape.getKey() + "/")) {
                try {
                    return shape.getValue().test(JSON.readTree(response.body()));
                } catch (IOException e) {
                    return false;
                }
            }
        }
        return false;
    }

    private static boolean hasErrorShape(RawHttp.Response response) {
        String type = response.header("Content-Type");
        if (type == null || !type.startsWith("application/json")) {
            return false;
        }
        try {
            JsonNode error = JSON.readTree(response.body()).path("error");
            return error.path("code").isTextual() && !error.path("code").asText().isBlank()
                    && error.path("message").isTextual();
        } catch (IOException e) {
            return false;
        }
    }
}
