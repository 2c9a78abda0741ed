package io.privacyplatform.support.error;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The one body of every 4xx and 5xx answer:
 * {@code {"error":{"code":"validation_failed","message":"…","details":[{"field":"purpose","problem":"…"}]}}}.
 * {@code code} is stable and meant for programs; {@code message} is for people.
 */
public record ErrorResponse(Body error) {

    public static ErrorResponse of(String code, String message, List<FieldProblem> details) {
        return new ErrorResponse(new Body(code, message, details == null || details.isEmpty() ? null : details));
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Body(String code, String message, List<FieldProblem> details) {
    }

    /** One offending input: {@code field} is a JSON path such as {@code records[3].purpose}. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record FieldProblem(String field, String problem, Integer index) {

        public FieldProblem(String field, String problem) {
            this(field, problem, null);
        }
    }
}
