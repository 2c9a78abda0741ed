package io.privacyplatform.consent.mapping;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A consent receipt with the fields of the Kantara Initiative Consent Receipt Specification v1.1 and
 * ISO/IEC TS 27560 (consent record information structure): who controls the processing, who consented to which
 * purpose on which lawful basis under which policy, when and how it was collected, and how to withdraw it.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ConsentReceipt(String receiptId, String version, String jurisdiction, Instant timestamp,
        Instant consentTimestamp, String collectionMethod, Controller controller, String subject, Purpose purpose,
        String decision, String lawfulBasis, String consentType, Policy policy, Withdrawal withdrawal, boolean gpc,
        boolean sensitive) {

    /** Kantara Consent Receipt v1.1.0, the receipt format version. */
    public static final String VERSION = "KI-CR-v1.1.0";

    public record Controller(String name, String contact) {
    }

    public record Purpose(String id, String title, String category, String description) {
    }

    public record Policy(String url, String version) {
    }

    /** How to end the consent: the one-click link (where the subject is known) or the API. */
    public record Withdrawal(String method, String url) {
    }
}
