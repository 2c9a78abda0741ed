package io.privacyplatform.request.mapping;

import java.net.URI;
import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import io.privacyplatform.request.OpenDsrRequest;
import io.privacyplatform.request.OpenDsrStatus;
import io.privacyplatform.request.RequestStatus;
import io.privacyplatform.request.RightsRequest;
import io.privacyplatform.support.error.ErrorResponse;

/** The JSON documents of OpenDSR 2.0 (sections 5 to 9), with its snake_case names, and how the platform fills them. */
public final class OpenDsrDocuments {

    /** The version this endpoint speaks. */
    public static final String API_VERSION = "2.0";
    /** Where the certificate is served, below the service's base URL. */
    public static final String CERTIFICATE_PATH = "opendsr/v1/certificate.pem";

    private OpenDsrDocuments() {
    }

    /** Section 5.3. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Identity(String identityType, String identityValue, String identityFormat) {
    }

    /** Section 7.1: what a controller's tool posts. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record SubmittedRequest(String subjectRequestId, String subjectRequestType, String submittedTime,
            List<Identity> subjectIdentities, String apiVersion, List<String> statusCallbackUrls, JsonNode extensions,
            String regulation) {
    }

    /** Section 7.3 (signed in the header, which carries the signature of exactly these bytes). */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Receipt(String controllerId, Instant expectedCompletionTime, Instant receivedTime,
            String encodedRequest, String subjectRequestId) {
    }

    /** Section 8.3; a callback (8.6) is the same with the URL it is sent to. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Status(String controllerId, Instant expectedCompletionTime, String subjectRequestId,
            OpenDsrStatus requestStatus, String apiVersion, String resultsUrl, String statusCallbackUrl) {
    }

    /** Section 9.2. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record CancellationReceipt(String controllerId, String subjectRequestId, Instant receivedTime,
            String apiVersion) {
    }

    /** Section 6.3. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Discovery(String apiVersion, List<Identity> supportedIdentities,
            List<String> supportedSubjectRequestTypes, String processorCertificate) {
    }

    /** Sections 7.5 and 7.6: {@code {"error":{"code":400,"message":…,"errors":[{domain, reason, message}]}}}. */
    public record ErrorDocument(ErrorObject error) {

        /** The platform's error, in OpenDSR's shape: its stable code becomes each detail's {@code reason}. */
        public static ErrorDocument of(int status, ErrorResponse platform) {
            ErrorResponse.Body body = platform.error();
            String domain = switch (status) {
                case 401, 403 -> "Authentication";
                case 400, 413, 415 -> "Validation";
                default -> "Request";
            };
            List<ErrorDetail> errors = body.details() == null || body.details().isEmpty()
                    ? List.of(new ErrorDetail(domain, body.code(), body.message()))
                    : body.details().stream()
                            .map(p -> new ErrorDetail(domain, body.code(), p.field() + " " + p.problem())).toList();
            return new ErrorDocument(new ErrorObject(status, body.message(), errors));
        }
    }

    public record ErrorObject(int code, String message, List<ErrorDetail> errors) {
    }

    public record ErrorDetail(String domain, String reason, String message) {
    }

    /**
     * The status of an OpenDSR request as its rights request stands now: the status document (8.3), or with
     * {@code callbackUrl} the callback's body (8.6, which has the URL and no {@code api_version}).
     */
    public static Status status(OpenDsrRequest openDsr, RightsRequest request, URI base, String callbackUrl) {
        // The results of an access or portability request are the platform's export, for the same controller's token.
        String results = request.status == RequestStatus.COMPLETED && request.type.exportsData()
                ? base.resolve("v1/requests/" + request.id + "/export").toString() : null;
        return new Status(request.tenantId, request.effectiveDueAt(), openDsr.subjectRequestId.toString(),
                OpenDsrStatus.of(request.status), callbackUrl == null ? API_VERSION : null, results, callbackUrl);
    }
}
