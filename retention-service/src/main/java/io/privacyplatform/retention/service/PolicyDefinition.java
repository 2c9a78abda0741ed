package io.privacyplatform.retention.service;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.privacyplatform.retention.RetentionPolicy;

/**
 * What a policy's PURGE decision approves: every field a PUT sets, as canonical JSON (keys sorted, no whitespace,
 * {@code systems} sorted, an absent description left out) and its SHA-256 in hex. Two definitions are the same
 * exactly when their digests are, so a decision binds to the definition, not to the policy's id.
 */
public record PolicyDefinition(String json, String digest) {

    private static final ObjectMapper JSON = new ObjectMapper();

    public static PolicyDefinition of(RetentionPolicy policy) {
        Map<String, Object> fields = new TreeMap<>();
        fields.put("basis", policy.basis);
        fields.put("category", policy.category);
        if (policy.description != null) {
            fields.put("description", policy.description);
        }
        fields.put("retain", policy.retain);
        fields.put("scheduleSeconds", policy.scheduleSeconds);
        fields.put("systems", List.of(policy.systems).stream().sorted().toList());
        try {
            String json = JSON.writeValueAsString(fields);
            return new PolicyDefinition(json, sha256(json));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the definition of policy " + policy.id, e);
        }
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
