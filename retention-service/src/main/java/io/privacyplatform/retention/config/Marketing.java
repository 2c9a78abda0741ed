package io.privacyplatform.retention.config;

/**
 * Which categories an objection stops: those whose name contains {@code marketing} (e.g. {@code marketing},
 * {@code marketing_profile}). Objection under Art. 21 GDPR is absolute only for direct marketing.
 */
public final class Marketing {

    private Marketing() {
    }

    public static boolean isMarketing(String category) {
        return category.contains("marketing");
    }
}
