package io.privacyplatform.request.mapping;

import java.io.IOException;
import java.net.IDN;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import io.privacyplatform.request.RequestType;
import io.privacyplatform.request.config.RequestsConfig;
import io.privacyplatform.request.mapping.OpenDsrDocuments.Identity;
import io.privacyplatform.request.mapping.OpenDsrDocuments.SubmittedRequest;
import io.privacyplatform.request.service.DeadlineCalendar;
import io.privacyplatform.support.error.ApiException;
import io.privacyplatform.support.error.ErrorMappers;
import io.privacyplatform.support.error.ErrorResponse;
import io.privacyplatform.support.error.ErrorResponse.FieldProblem;
import io.privacyplatform.support.time.AcceptedInstants;

/**
 * Reads an OpenDSR request body (section 7.1) into what the platform needs, or refuses it naming every problem.
 * Identities map onto the rights request: {@code controller_customer_id} is the subject id, {@code email} the contact
 * address (and the subject id when no customer id is given, as the stores can search by it). Only raw identities are
 * taken: the stores search by the real value, and a hashed one would quietly find nothing.
 */
@ApplicationScoped
public class OpenDsrRequestParser {

    public static final String EMAIL = "email";
    public static final String CUSTOMER_ID = "controller_customer_id";
    public static final String RAW = "raw";
    /** Section 5.1. */
    static final Set<String> IDENTITY_TYPES = Set.of(CUSTOMER_ID, "android_advertising_id", "android_id", EMAIL,
            "fire_advertising_id", "ios_advertising_id", "ios_vendor_id", "microsoft_advertising_id",
            "microsoft_publisher_id", "roku_publisher_id", "roku_advertising_id");
    /** Section 5.2. */
    static final Set<String> IDENTITY_FORMATS = Set.of(RAW, "sha1", "md5", "sha256");
    /** Identity types (raw) the platform's stores can be searched by. */
    public static final List<Identity> SUPPORTED_IDENTITIES = List.of(new Identity(EMAIL, null, RAW),
            new Identity(CUSTOMER_ID, null, RAW));
    /** The rights of section 6.2 and the platform's type each becomes. */
    public static final Map<String, RequestType> REQUEST_TYPES = Map.of("access", RequestType.ACCESS, "portability",
            RequestType.PORTABILITY, "erasure", RequestType.ERASURE);
    public static final List<String> SUPPORTED_REQUEST_TYPES = List.of("access", "portability", "erasure");

    /** Section 1.1: lower-case, version 4. */
    private static final Pattern UUID_V4 = Pattern.compile(
            "[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
    private static final Pattern API_VERSION = Pattern.compile("[12]\\.\\d{1,3}(\\.\\d{1,3})?");
    // The platform API's own check for contact addresses is @Email; this is the same in spirit, for one field.
    private static final Pattern EMAIL_ADDRESS = Pattern.compile("[^@\\s]{1,64}@[^@\\s]{1,255}");
    static final int MAX_IDENTITIES = 20;
    static final int MAX_CALLBACK_URLS = 10;
    static final int MAX_URL_LENGTH = 2000;
    private static final int MAX_SUBJECT_ID = 200;
    private static final int MAX_EMAIL = 320;

    /** A request the platform can take: its rights request and what the OpenDSR row keeps. */
    public record ParsedRequest(UUID subjectRequestId, RequestType type, Instant submittedTime, String subjectId,
            String contactEmail, String regulation, String apiVersion, List<String> statusCallbackUrls,
            String bodyDigest) {
    }

    @Inject
    ObjectMapper mapper;

    @Inject
    DeadlineCalendar calendar;

    @Inject
    RequestsConfig config;

    public ParsedRequest parse(byte[] body, Instant now) {
        if (body == null || body.length == 0) {
            throw ApiException.validation("$", "a JSON body is required");
        }
        SubmittedRequest request;
        JsonNode tree;
        try {
            tree = mapper.readTree(body);
            request = mapper.treeToValue(tree, SubmittedRequest.class);
        } catch (JsonProcessingException e) {
            // Described as the platform's API describes Jackson's failures (unknown field, wrong type, syntax).
            ErrorResponse.Body error = ((ErrorResponse) new ErrorMappers().json(e).getEntity()).error();
            throw new ApiException(400, error.code(), error.message(), error.details());
        } catch (IOException e) {
            throw new ApiException(400, "malformed_json", "the request body is not well-formed JSON", null);
        }
        if (request == null || !tree.isObject()) {
            throw ApiException.validation("$", "must be a JSON object");
        }
        List<FieldProblem> problems = new ArrayList<>();
        UUID id = null;
        if (request.subjectRequestId() == null) {
            problems.add(new FieldProblem("subject_request_id", "is required"));
        } else if (!UUID_V4.matcher(request.subjectRequestId()).matches()) {
            problems.add(new FieldProblem("subject_request_id", "must be a lower-case UUID v4"));
        } else {
            id = UUID.fromString(request.subjectRequestId());
        }
        RequestType type = null;
        if (request.subjectRequestType() == null) {
            problems.add(new FieldProblem("subject_request_type", "is required"));
        } else {
            type = REQUEST_TYPES.get(request.subjectRequestType());
            if (type == null) {
                problems.add(new FieldProblem("subject_request_type", "must be one of " + SUPPORTED_REQUEST_TYPES));
            }
        }
        Instant submitted = null;
        if (request.submittedTime() == null) {
            problems.add(new FieldProblem("submitted_time", "is required"));
        } else {
            submitted = AcceptedInstants.parse(request.submittedTime()).orElse(null);
            if (submitted == null) {
                problems.add(new FieldProblem("submitted_time", "must be an RFC 3339 date-time such as "
                        + "2018-10-02T15:00:00Z, from 1970"));
            } else if (submitted.isAfter(now.plusSeconds(300))) {
                // A few minutes of clock skew between the controller and us are no error.
                problems.add(new FieldProblem("submitted_time", "must not be in the future"));
            }
        }
        // Required by 2.0 but absent from its own example and from every 1.x request: those were all GDPR.
        String regulation = calendar.regulation(request.regulation()).orElse(null);
        if (regulation == null) {
            problems.add(new FieldProblem("regulation", "must be one of " + calendar.regulations()));
        }
        if (request.apiVersion() != null && !API_VERSION.matcher(request.apiVersion()).matches()) {
            problems.add(new FieldProblem("api_version", "must be a 1.x or 2.x version such as 2.0"));
        }
        if (request.extensions() != null && !request.extensions().isObject()) {
            problems.add(new FieldProblem("extensions", "must be an object keyed by processor domain"));
        }
        String subjectId = null;
        String email = null;
        List<Identity> identities = request.subjectIdentities() == null ? List.of() : request.subjectIdentities();
        if (identities.isEmpty()) {
            problems.add(new FieldProblem("subject_identities", "must name at least one identity; supported: "
                    + supported()));
        } else if (identities.size() > MAX_IDENTITIES) {
            problems.add(new FieldProblem("subject_identities", "must hold at most " + MAX_IDENTITIES));
        } else {
            for (int i = 0; i < identities.size(); i++) {
                Identity identity = identities.get(i);
                String at = "subject_identities[" + i + "]";
                String problem = identityProblem(identity);
                if (problem != null) {
                    problems.add(new FieldProblem(at, problem));
                    continue;
                }
                String value = identity.identityValue().strip();
                if (EMAIL.equals(identity.identityType())) {
                    if (email != null) {
                        problems.add(new FieldProblem(at, "only one email identity per request"));
                    } else if (value.length() > MAX_EMAIL || !EMAIL_ADDRESS.matcher(value).matches()) {
                        problems.add(new FieldProblem(at + ".identity_value", "must be an e-mail address"));
                    } else {
                        email = value;
                    }
                } else if (subjectId != null) {
                    problems.add(new FieldProblem(at, "only one controller_customer_id identity per request"));
                } else if (value.isEmpty() || value.length() > MAX_SUBJECT_ID) {
                    problems.add(new FieldProblem(at + ".identity_value", "must be 1 to " + MAX_SUBJECT_ID
                            + " characters"));
                } else {
                    subjectId = value;
                }
            }
        }
        List<String> callbacks = callbackUrls(request.statusCallbackUrls(), problems);
        if (!problems.isEmpty()) {
            throw ApiException.validation(problems);
        }
        return new ParsedRequest(id, type, submitted, subjectId != null ? subjectId : email, email, regulation,
                request.apiVersion(), callbacks, digest(tree));
    }

    private static String identityProblem(Identity identity) {
        if (identity == null) {
            return "must be an identity object";
        }
        if (identity.identityType() == null || identity.identityValue() == null
                || identity.identityFormat() == null) {
            return "needs identity_type, identity_value and identity_format";
        }
        if (!IDENTITY_TYPES.contains(identity.identityType())) {
            return "identity_type must be one of the types of OpenDSR 2.0 section 5.1";
        }
        if (!IDENTITY_FORMATS.contains(identity.identityFormat())) {
            return "identity_format must be one of " + IDENTITY_FORMATS;
        }
        if (!RAW.equals(identity.identityFormat())
                || !(EMAIL.equals(identity.identityType()) || CUSTOMER_ID.equals(identity.identityType()))) {
            return "is not supported by this processor; supported: " + supported();
        }
        return null;
    }

    private static String supported() {
        return SUPPORTED_IDENTITIES.stream().map(i -> i.identityType() + "/" + i.identityFormat()).toList()
                .toString();
    }

    private List<String> callbackUrls(List<String> urls, List<FieldProblem> problems) {
        if (urls == null) {
            return List.of();
        }
        if (urls.size() > MAX_CALLBACK_URLS) {
            problems.add(new FieldProblem("status_callback_urls", "must hold at most " + MAX_CALLBACK_URLS));
            return List.of();
        }
        Set<String> accepted = new LinkedHashSet<>();
        Set<String> schemes = config.opendsr().callbacks().schemes();
        for (int i = 0; i < urls.size(); i++) {
            String problem = callbackUrlProblem(urls.get(i), schemes);
            if (problem != null) {
                problems.add(new FieldProblem("status_callback_urls[" + i + "]", problem));
            } else {
                accepted.add(urls.get(i));
            }
        }
        return List.copyOf(accepted);
    }

    private String callbackUrlProblem(String url, Set<String> schemes) {
        if (url == null || url.isBlank() || url.length() > MAX_URL_LENGTH) {
            return "must be an absolute URL of at most " + MAX_URL_LENGTH + " characters";
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            return "must be an absolute URL";
        }
        if (!uri.isAbsolute() || uri.getHost() == null || uri.getRawUserInfo() != null || uri.getRawFragment() != null
                || !schemes.contains(uri.getScheme().toLowerCase(Locale.ROOT))) {
            return "must be an absolute " + schemes + " URL with a host, without user info or fragment";
        }
        if (!config.opendsr().callbacks().allowPrivateAddresses() && isPrivateLiteral(uri.getHost())) {
            return "must not name a loopback, private or link-local address";
        }
        return null;
    }

    /** An IP literal or {@code localhost} that points inside; names are checked again when a callback is sent. */
    static boolean isPrivateLiteral(String host) {
        String name = IDN.toASCII(host.startsWith("[") ? host.substring(1, host.length() - 1) : host)
                .toLowerCase(Locale.ROOT);
        if (name.equals("localhost") || name.endsWith(".localhost")) {
            return true;
        }
        if (!name.matches("[0-9.]+") && !name.contains(":")) {
            return false;
        }
        try {
            return isPrivate(InetAddress.getByName(name));
        } catch (UnknownHostException e) {
            return true;
        }
    }

    public static boolean isPrivate(InetAddress address) {
        return address.isLoopbackAddress() || address.isSiteLocalAddress() || address.isLinkLocalAddress()
                || address.isAnyLocalAddress() || address.isMulticastAddress()
                // IPv6 unique local addresses (fc00::/7), which isSiteLocalAddress does not cover
                || (address.getAddress().length == 16 && (address.getAddress()[0] & 0xfe) == 0xfc);
    }

    /** SHA-256 of the body with its keys sorted: the same request sent again digests the same. */
    private String digest(JsonNode tree) {
        try {
            Object canonical = mapper.treeToValue(tree, Object.class);
            byte[] bytes = mapper.writer().with(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
                    .writeValueAsBytes(canonical);
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (JsonProcessingException | NoSuchAlgorithmException e) {
            throw new IllegalStateException("cannot digest an OpenDSR request", e);
        }
    }
}
