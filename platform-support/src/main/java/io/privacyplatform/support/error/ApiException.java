package io.privacyplatform.support.error;

import java.util.List;

import io.privacyplatform.support.error.ErrorResponse.FieldProblem;

/** A failure with a status and a stable code, answered in the {@link ErrorResponse} shape. */
public class ApiException extends RuntimeException {

    private final int status;
    private final String code;
    private final List<FieldProblem> details;

    public ApiException(int status, String code, String message, List<FieldProblem> details) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
        this.details = details == null ? List.of() : List.copyOf(details);
    }

    public static ApiException notFound(String what) {
        return new ApiException(404, "not_found", what + " not found", null);
    }

    public static ApiException validation(List<FieldProblem> details) {
        return new ApiException(400, "validation_failed", "the request is not valid", details);
    }

    public static ApiException validation(String field, String problem) {
        return validation(List.of(new FieldProblem(field, problem)));
    }

    public static ApiException unprocessable(String code, String message, List<FieldProblem> details) {
        return new ApiException(422, code, message, details);
    }

    public static ApiException conflict(String code, String message) {
        return new ApiException(409, code, message, null);
    }

    public static ApiException forbidden(String code, String message) {
        return new ApiException(403, code, message, null);
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public List<FieldProblem> details() {
        return details;
    }
}
