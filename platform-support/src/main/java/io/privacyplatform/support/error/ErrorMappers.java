package io.privacyplatform.support.error;

import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.Path;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;

import io.privacyplatform.support.error.ErrorResponse.FieldProblem;
import io.privacyplatform.support.json.StrictJsonCustomizer;
import io.privacyplatform.support.time.AcceptedInstants;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;

/**
 * Maps every failure to the {@link ErrorResponse} shape: a client error names the offending fields, a server error
 * names only a reference to look up in the log. No stack trace and no input value reaches the client.
 */
public class ErrorMappers {

    private static final Logger LOG = Logger.getLogger(ErrorMappers.class);

    @ServerExceptionMapper
    public Response api(ApiException e) {
        return respond(e.status(), e.code(), e.getMessage(), e.details());
    }

    @ServerExceptionMapper
    public Response json(JsonProcessingException e) {
        if (e instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()
                && mapping.getCause() instanceof InputCoercionException) {
            // A well-formed number too large for the field's type (2^63 for an int or a boolean).
            return respond(400, "validation_failed", "the request is not valid",
                    List.of(new FieldProblem(path(mapping), "is out of range for its type")));
        }
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof StreamReadException) {
                // Broken syntax: Jackson reports it wrapped with the path it had reached, but it is no field's fault.
                return respond(400, "malformed_json", "the request body is not well-formed JSON", null);
            }
        }
        if (e instanceof UnrecognizedPropertyException unknown) {
            return respond(400, "validation_failed", "the request is not valid",
                    List.of(new FieldProblem(path(unknown), "unknown field")));
        }
        if (e instanceof InvalidFormatException invalid) {
            Class<?> target = invalid.getTargetType();
            String problem;
            if (target != null && target.isEnum()) {
                problem = "must be one of " + enumValues(target);
            } else if (target == Instant.class) {
                problem = AcceptedInstants.PROBLEM;
            } else if (target == String.class) {
                // the one reason StrictJsonCustomizer refuses a JSON string as a string
                problem = StrictJsonCustomizer.NUL_PROBLEM;
            } else {
                problem = "has the wrong format";
            }
            return respond(400, "validation_failed", "the request is not valid",
                    List.of(new FieldProblem(path(invalid), problem)));
        }
        if (e instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
            return respond(400, "validation_failed", "the request is not valid",
                    List.of(new FieldProblem(path(mapping), "has the wrong type or shape")));
        }
        return respond(400, "malformed_json", "the request body is not well-formed JSON", null);
    }

    // Quarkus REST ships mappers for these specific Jackson failures with a body of its own; a mapper for the exact
    // type wins over them, so each is named here and answered in our shape.
    @ServerExceptionMapper
    public Response unknownField(UnrecognizedPropertyException e) {
        return json(e);
    }

    @ServerExceptionMapper
    public Response invalidFormat(InvalidFormatException e) {
        return json(e);
    }

    @ServerExceptionMapper
    public Response mismatchedInput(MismatchedInputException e) {
        return json(e);
    }

    @ServerExceptionMapper
    public Response badSyntax(JsonParseException e) {
        return json(e);
    }

    @ServerExceptionMapper
    public Response mapping(JsonMappingException e) {
        return json(e);
    }

    @ServerExceptionMapper
    public Response validation(ConstraintViolationException e) {
        List<FieldProblem> details = new ArrayList<>();
        for (ConstraintViolation<?> violation : e.getConstraintViolations()) {
            details.add(new FieldProblem(field(violation.getPropertyPath()), violation.getMessage()));
        }
        details.sort((a, b) -> a.field().compareTo(b.field()));
        return respond(400, "validation_failed", "the request is not valid", details);
    }

    @ServerExceptionMapper
    public Response unauthorized(UnauthorizedException e) {
        return respond(401, "unauthorized", "a valid bearer token is required", null);
    }

    @ServerExceptionMapper
    public Response authenticationFailed(AuthenticationFailedException e) {
        return respond(401, "unauthorized", "a valid bearer token is required", null);
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e) {
        return respond(403, "forbidden", "the token's roles do not allow this", null);
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e) {
        int status = e.getResponse() == null ? 500 : e.getResponse().getStatus();
        if (e.getCause() instanceof JsonProcessingException json) {
            return json(json);
        }
        if (status >= 500) {
            return internal(e);
        }
        return respond(status, codeOf(status), messageOf(status), null);
    }

    @ServerExceptionMapper
    public Response unexpected(Exception e) {
        if (isFormBodyParsing(e)) {
            return respond(400, "malformed_form", "the form body is malformed (bad percent-escape or multipart"
                    + " structure)", null);
        }
        String sqlState = sqlState(e);
        if (sqlState != null) {
            // The last line of defence, not the validation: every input is checked before it reaches the database,
            // and a value that still slips through is the client's (400) or a concurrent write's (409), never a 500.
            switch (sqlState) {
                case UNIQUE_VIOLATION:
                    LOG.debugf("unique violation answered as 409: %s", e);
                    return respond(409, "conflict",
                            "a concurrent request created the same resource; read it and retry if needed", null);
                case STRING_TOO_LONG, NUMERIC_OUT_OF_RANGE, DATETIME_OUT_OF_RANGE, INVALID_DATETIME,
                        NOT_IN_REPERTOIRE, UNTRANSLATABLE_CHARACTER, INVALID_TEXT_REPRESENTATION:
                    LOG.warnf("database refused a value (SQLSTATE %s); an input check is missing: %s", sqlState, e);
                    return respond(400, "validation_failed", "a value is outside what can be stored", null);
                default:
                    break;
            }
        }
        return internal(e);
    }

    // PostgreSQL SQLSTATEs a client's value can cause (https://www.postgresql.org/docs/15/errcodes-appendix.html).
    public static final String UNIQUE_VIOLATION = "23505";
    static final String STRING_TOO_LONG = "22001";
    static final String NUMERIC_OUT_OF_RANGE = "22003";
    static final String INVALID_DATETIME = "22007";
    static final String DATETIME_OUT_OF_RANGE = "22008";
    static final String NOT_IN_REPERTOIRE = "22021";
    static final String UNTRANSLATABLE_CHARACTER = "22P05";
    static final String INVALID_TEXT_REPRESENTATION = "22P02";

    /**
     * Quarkus REST parses a form body before the resource method and reports a bad escape ({@code name=%zz}) or a
     * broken multipart body as a plain IllegalArgumentException or IOException from its form parsers: the stack
     * tells it apart from a failure of our own code.
     */
    static boolean isFormBodyParsing(Throwable e) {
        for (StackTraceElement frame : e.getStackTrace()) {
            String type = frame.getClassName();
            if (type.startsWith("org.jboss.resteasy.reactive.server.core.multipart.")
                    || type.equals("org.jboss.resteasy.reactive.server.handlers.FormBodyHandler")) {
                return true;
            }
            if (type.startsWith("io.privacyplatform.")) {
                return false;
            }
        }
        return false;
    }

    /** The SQLSTATE of the first SQLException in the cause chain (also a batch's next exception), or null. */
    public static String sqlState(Throwable e) {
        int depth = 0;
        for (Throwable cause = e; cause != null && depth < 20; cause = cause.getCause(), depth++) {
            if (cause instanceof SQLException sql) {
                for (SQLException next = sql; next != null; next = next.getNextException()) {
                    if (next.getSQLState() != null) {
                        return next.getSQLState();
                    }
                }
            }
        }
        return null;
    }

    private static Response internal(Throwable e) {
        ErrorResponse body = internalError(e);
        return Response.status(500).type(MediaType.APPLICATION_JSON_TYPE).entity(body).build();
    }

    /** Logs {@code e} under a new reference and returns the body that names only that reference. */
    public static ErrorResponse internalError(Throwable e) {
        String reference = UUID.randomUUID().toString();
        LOG.errorf(e, "unexpected failure, reference %s", reference);
        return ErrorResponse.of("internal_error", "an unexpected error occurred; reference " + reference, null);
    }

    public static Response respond(int status, String code, String message, List<FieldProblem> details) {
        return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE)
                .entity(ErrorResponse.of(code, message, details)).build();
    }

    /** The stable code of a status when nothing more specific is known (also used by the HTTP layer's answers). */
    public static String codeOf(int status) {
        return switch (status) {
            case 400 -> "bad_request";
            case 401 -> "unauthorized";
            case 403 -> "forbidden";
            case 404 -> "not_found";
            case 405 -> "method_not_allowed";
            case 406 -> "not_acceptable";
            case 409 -> "conflict";
            case 413 -> "payload_too_large";
            case 414 -> "uri_too_long";
            case 415 -> "unsupported_media_type";
            case 422 -> "unprocessable";
            case 429 -> "too_many_requests";
            case 431 -> "headers_too_large";
            default -> "client_error";
        };
    }

    public static String messageOf(int status) {
        return switch (status) {
            case 404 -> "resource not found";
            case 405 -> "method not allowed on this resource";
            case 415 -> "unsupported media type; send application/json";
            default -> Response.Status.fromStatusCode(status) == null ? "client error"
                    : Response.Status.fromStatusCode(status).getReasonPhrase();
        };
    }

    private static String path(JsonMappingException e) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                if (!path.isEmpty()) {
                    path.append('.');
                }
                path.append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                path.append('[').append(ref.getIndex()).append(']');
            }
        }
        return path.isEmpty() ? "$" : path.toString();
    }

    private static String enumValues(Class<?> type) {
        List<String> names = new ArrayList<>();
        for (Object constant : type.getEnumConstants()) {
            names.add(constant.toString());
        }
        return names.toString();
    }

    /** "create.arg0.purpose" → "purpose": the method and parameter part means nothing to a client. */
    private static String field(Path path) {
        List<String> nodes = new ArrayList<>();
        for (Path.Node node : path) {
            String name = node.getName();
            if (node.getIndex() != null && !nodes.isEmpty()) {
                nodes.set(nodes.size() - 1, nodes.get(nodes.size() - 1) + "[" + node.getIndex() + "]");
            }
            if (name != null && node.getKind() != jakarta.validation.ElementKind.METHOD
                    && node.getKind() != jakarta.validation.ElementKind.PARAMETER) {
                nodes.add(name);
            }
        }
        return nodes.isEmpty() ? "$" : String.join(".", nodes);
    }
}
