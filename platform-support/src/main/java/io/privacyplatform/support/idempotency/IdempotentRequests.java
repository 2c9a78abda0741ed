package io.privacyplatform.support.idempotency;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.agroal.api.AgroalDataSource;
import io.privacyplatform.support.error.ApiException;

/**
 * The {@code Idempotency-Key} header: a request repeated with the same key gets the first response again (with
 * {@code Idempotent-Replayed: true}) and has no second effect; the same key with a different body is a 409.
 * <p>
 * The key row is written in the same transaction as the request's effect. A request that fails rolls both back, so
 * its key may be used again; a concurrent duplicate waits on the first one's row and then replays its answer.
 * <p>
 * A key is honoured for {@code privacy.prune.idempotency-keys-after} (24 h by default, as long as a client is
 * expected to retry); after that the key and its kept response (which may name a subject) are deleted, and the same
 * key is a new request.
 */
@ApplicationScoped
public class IdempotentRequests {

    public static final String HEADER = "Idempotency-Key";
    public static final String REPLAYED_HEADER = "Idempotent-Replayed";
    private static final int MAX_KEY_LENGTH = 200;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    ObjectMapper mapper;

    /** What the action answers: a status and a body to be written as JSON. */
    public record Result(int status, Object body) {
    }

    /**
     * Runs {@code action} once per {@code (tenant, scope, key)}; without a key it simply runs it.
     *
     * @param scope what the key is for, e.g. {@code POST /v1/consents}: a key may be reused across scopes
     * @param request the parsed request body; its JSON form decides whether a replay is "the same request"
     */
    @Transactional
    public Response run(String tenantId, String scope, String key, Object request, Supplier<Result> action) {
        return runInCallersTransaction(tenantId, scope, key, request, action);
    }

    /**
     * {@link #run} inside a transaction the caller began, without marking it for rollback when {@code action}
     * throws: for a caller that runs several requests in one transaction (group commit), each in a savepoint it rolls
     * back to when that request fails, so that the request's key claim goes with it and the others stay.
     */
    public Response runInCallersTransaction(String tenantId, String scope, String key, Object request,
            Supplier<Result> action) {
        if (key == null || key.isBlank()) {
            Result result = action.get();
            return Response.status(result.status()).entity(result.body()).type(MediaType.APPLICATION_JSON).build();
        }
        if (key.length() > MAX_KEY_LENGTH) {
            throw ApiException.validation(HEADER, "must be at most " + MAX_KEY_LENGTH + " characters");
        }
        String hash = sha256(json(request));
        try (Connection connection = dataSource.getConnection()) {
            if (claim(connection, tenantId, scope, key, hash)) {
                Result result = action.get();
                String body = json(result.body());
                store(connection, tenantId, scope, key, result.status(), body);
                return Response.status(result.status()).entity(body).type(MediaType.APPLICATION_JSON).build();
            }
            return replay(connection, tenantId, scope, key, hash);
        } catch (SQLException e) {
            throw new IllegalStateException("idempotency key store failed", e);
        }
    }

    /**
     * Deletes the tenant's stored answers that name {@code subjectId} in a {@code "subjectId"} field (a store's
     * erasure of the subject), in the caller's transaction. Answers {@code <scope> <key>} of each deleted answer.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public List<String> forgetSubject(String tenantId, String subjectId) {
        List<String> deleted = new ArrayList<>();
        try (Connection connection = dataSource.getConnection();
                PreparedStatement delete = connection.prepareStatement("""
                        DELETE FROM idempotency_key WHERE tenant_id = ? AND strpos(response_body, ?) > 0
                        RETURNING scope, idempotency_key""")) {
            delete.setString(1, tenantId);
            delete.setString(2, "\"subjectId\":" + json(subjectId));
            try (ResultSet rows = delete.executeQuery()) {
                while (rows.next()) {
                    deleted.add(rows.getString(1) + " " + rows.getString(2));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not delete stored answers", e);
        }
        return deleted;
    }

    private static boolean claim(Connection connection, String tenantId, String scope, String key, String hash)
            throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("""
                INSERT INTO idempotency_key (tenant_id, scope, idempotency_key, request_hash)
                VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING""")) {
            insert.setString(1, tenantId);
            insert.setString(2, scope);
            insert.setString(3, key);
            insert.setString(4, hash);
            return insert.executeUpdate() == 1;
        }
    }

    private static void store(Connection connection, String tenantId, String scope, String key, int status,
            String body) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement("""
                UPDATE idempotency_key SET status = ?, response_body = ?
                 WHERE tenant_id = ? AND scope = ? AND idempotency_key = ?""")) {
            update.setInt(1, status);
            update.setString(2, body);
            update.setString(3, tenantId);
            update.setString(4, scope);
            update.setString(5, key);
            update.executeUpdate();
        }
    }

    private static Response replay(Connection connection, String tenantId, String scope, String key, String hash)
            throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("""
                SELECT request_hash, status, response_body FROM idempotency_key
                 WHERE tenant_id = ? AND scope = ? AND idempotency_key = ?""")) {
            select.setString(1, tenantId);
            select.setString(2, scope);
            select.setString(3, key);
            try (ResultSet row = select.executeQuery()) {
                if (!row.next() || row.getObject("status") == null) {
                    throw ApiException.conflict("idempotency_key_in_use",
                            "a request with this Idempotency-Key is still being processed");
                }
                if (!hash.equals(row.getString("request_hash"))) {
                    throw ApiException.conflict("idempotency_key_reused",
                            "this Idempotency-Key was used with a different request body");
                }
                return Response.status(row.getInt("status")).entity(row.getString("response_body"))
                        .type(MediaType.APPLICATION_JSON).header(REPLAYED_HEADER, "true").build();
            }
        }
    }

    private String json(Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + value.getClass().getSimpleName(), e);
        }
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(
                    MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
