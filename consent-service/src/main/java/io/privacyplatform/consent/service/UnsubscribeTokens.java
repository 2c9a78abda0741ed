package io.privacyplatform.consent.service;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Optional;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.privacyplatform.consent.config.ConsentConfig;

/**
 * Signed one-click unsubscribe tokens (RFC 8058): {@code base64url(JSON {tenant, subject, purpose})} + "." +
 * {@code base64url(HMAC-SHA256)} with {@code consent.unsubscribe.secret}. They do not expire: a link in an old
 * e-mail must keep working.
 */
@ApplicationScoped
public class UnsubscribeTokens {

    public static final String PATH = "/v1/unsubscribe/";
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

    @Inject
    ConsentConfig config;

    @Inject
    ObjectMapper mapper;

    public record Claims(String tenant, String subject, String purpose) {
    }

    public String issue(String tenantId, String subjectId, String purposeId) {
        try {
            String body = ENCODER.encodeToString(mapper.writeValueAsBytes(new Claims(tenantId, subjectId, purposeId)));
            return body + "." + ENCODER.encodeToString(sign(body));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public String url(String tenantId, String subjectId, String purposeId) {
        return config.publicUrl().replaceAll("/+$", "") + PATH + issue(tenantId, subjectId, purposeId);
    }

    /** The claims of a token this service signed; empty for anything else. */
    public Optional<Claims> verify(String token) {
        if (token == null || token.length() > 2000) {
            return Optional.empty();
        }
        int dot = token.indexOf('.');
        if (dot <= 0) {
            return Optional.empty();
        }
        try {
            String body = token.substring(0, dot);
            byte[] signature = Base64.getUrlDecoder().decode(token.substring(dot + 1));
            if (!MessageDigest.isEqual(signature, sign(body))) {
                return Optional.empty();
            }
            Claims claims = mapper.readValue(Base64.getUrlDecoder().decode(body), Claims.class);
            if (claims.tenant() == null || claims.subject() == null || claims.purpose() == null) {
                return Optional.empty();
            }
            return Optional.of(claims);
        } catch (IllegalArgumentException | java.io.IOException e) {
            return Optional.empty();
        }
    }

    private byte[] sign(String body) {
        byte[] secret = config.unsubscribe().secret().getBytes(StandardCharsets.UTF_8);
        if (secret.length < 16) {
            throw new IllegalStateException("consent.unsubscribe.secret must have at least 16 bytes");
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return mac.doFinal(body.getBytes(StandardCharsets.US_ASCII));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }
}
