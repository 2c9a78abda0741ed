package io.privacyplatform.events;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.privacyplatform.events.payload.AckOutcome;
import io.privacyplatform.events.payload.AuditAnchor;
import io.privacyplatform.events.payload.CommandAck;
import io.privacyplatform.events.payload.CommandKind;
import io.privacyplatform.events.payload.CommandSubject;
import io.privacyplatform.events.payload.ConsentApplied;
import io.privacyplatform.events.payload.ConsentChanged;
import io.privacyplatform.events.payload.Notification;
import io.privacyplatform.events.payload.PrivacyCommand;
import io.privacyplatform.events.payload.RequestProgress;
import io.privacyplatform.events.payload.RightsRequestChanged;
import io.privacyplatform.events.payload.TenantSettings;

/** One realistic instance of every payload record: used by the tests and, encoded, as the examples in docs/events.md. */
public final class Examples {

    public static final Instant NOW = Instant.parse("2025-05-01T10:15:30Z");
    public static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    public static final String TENANT = "acme";
    public static final String SUBJECT = "subj-4711";
    public static final SubjectPseudonym PSEUDONYM = SubjectPseudonym.fromSecret("example-secret-of-32-bytes-length");
    public static final String REQUEST = "9b2f6a1e-3c4d-4e5f-8a9b-0c1d2e3f4a5b";
    public static final String COMMAND = "c0ffee00-1111-4222-8333-444455556666";
    /** The test stores' ack signing key pair, made for this JVM only. */
    public static final java.security.KeyPair STORE_KEYS = Ed25519Keys.generate();

    private Examples() {
    }

    public static String key() {
        return PSEUDONYM.of(TENANT, SUBJECT);
    }

    public static ConsentChanged consentChanged() {
        return new ConsentChanged("5f0c7a52-7d3e-4c1b-9a51-2b8e6f4d9c10", TENANT, SUBJECT, "marketing-email",
                "contact", "granted", "consent", "2025-04", "web", false, NOW.minusSeconds(2),
                "d2c4e6f8-0a1b-4c3d-8e5f-6a7b8c9d0e1f");
    }

    public static ConsentApplied consentApplied() {
        return ConsentApplied.of(consentChanged(), "mail-log-store", NOW.plusSeconds(1));
    }

    public static RightsRequestChanged rightsRequestChanged() {
        return new RightsRequestChanged(REQUEST, TENANT, "erasure", RightsRequestChanged.VERIFIED,
                RightsRequestChanged.SUBMITTED, SUBJECT, "jane.doe@example.com", "GDPR", NOW.minusSeconds(3600),
                Instant.parse("2025-05-31T09:15:30Z"), Map.of(), null, null, NOW);
    }

    public static PrivacyCommand command() {
        return command(COMMAND, "mail-log-store");
    }

    public static PrivacyCommand command(String commandId, String targetSystem) {
        return new PrivacyCommand(commandId, CommandKind.ERASE, TENANT, targetSystem, REQUEST,
                new CommandSubject(SUBJECT, "jane.doe@example.com"), List.of("contact", "usage"), null, null, NOW,
                Instant.parse("2025-05-08T10:15:30Z"), 1);
    }

    public static PrivacyCommand purgeCommand() {
        return new PrivacyCommand("7e57ab1e-0000-4000-8000-000000000001", CommandKind.PURGE, TENANT,
                "mail-log-store", null, null, List.of("mail-log"), Instant.parse("2024-11-01T00:00:00Z"), null, NOW,
                null, 1);
    }

    public static CommandAck ack() {
        return new CommandAck(COMMAND, "mail-log-store", TENANT, REQUEST, AckOutcome.DONE, 2,
                RecordDigest.of("mail-1842", "mail-1907"), null, null, NOW.plusSeconds(4));
    }

    public static CommandAck exportAck() {
        ObjectNode data = JsonNodeFactory.instance.objectNode();
        data.putArray("mails").addObject().put("id", "mail-1842").put("sentAt", "2025-03-02T08:00:00Z")
                .put("template", "welcome");
        return new CommandAck("a1b2c3d4-0000-4000-8000-00000000e4b0", "mail-log-store", TENANT, REQUEST,
                AckOutcome.DONE, 1, RecordDigest.of("mail-1842"), null, data, NOW.plusSeconds(4));
    }

    public static RequestProgress requestProgress() {
        return new RequestProgress(REQUEST, TENANT, RequestProgress.IN_PROGRESS, List.of(
                new RequestProgress.SystemProgress("mail-log-store", COMMAND, "ERASE", "done", AckOutcome.DONE, 2,
                        RecordDigest.of("mail-1842", "mail-1907"), null, 1, NOW.plusSeconds(4)),
                new RequestProgress.SystemProgress("consent-service", "b7e1c2d3-0000-4000-8000-000000000002",
                        "ERASE", "sent", null, 0, null, null, 1, NOW)),
                NOW.plusSeconds(5));
    }

    /** A verification code sealed for the mailer (a compact JWE, shortened: its header is real). */
    static final String SEALED_CODE = "eyJhbGciOiJSU0EtT0FFUC0yNTYiLCJlbmMiOiJBMjU2R0NNIiwia2lkIjoiTnpiTHNYaDh1RENjZDdub1dYRlpB"
            + "ZjRhQ04wQ1QxcGlkQmhUdk1VeUVpQSJ9.kX3….Yp1…._h3k….9gQ…";

    public static Notification notification() {
        return new Notification("0d9c8b7a-6f5e-4d3c-8b2a-1f0e9d8c7b6a", TENANT, Notification.VERIFICATION_CODE,
                "jane.doe@example.com", SUBJECT, REQUEST, Map.of("sealed", SEALED_CODE, "requestId", REQUEST,
                        "expiresAt", "2025-05-02T10:15:30Z"), NOW);
    }

    public static TenantSettings tenantSettings() {
        return new TenantSettings(TENANT, false, "EEA", NOW);
    }

    /** The example anchor's signing key: a fixed Ed25519 key for the docs only (PKCS#8 of a 32-byte seed). */
    public static final java.security.PrivateKey ANCHOR_KEY = exampleKey();

    private static java.security.PrivateKey exampleKey() {
        try {
            byte[] prefix = java.util.HexFormat.of().parseHex("302e020100300506032b657004220420");
            byte[] pkcs8 = java.util.Arrays.copyOf(prefix, prefix.length + 32);
            for (int i = 0; i < 32; i++) {
                pkcs8[prefix.length + i] = (byte) i;
            }
            return java.security.KeyFactory.getInstance("Ed25519")
                    .generatePrivate(new java.security.spec.PKCS8EncodedKeySpec(pkcs8));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public static AuditAnchor auditAnchor() {
        return AuditAnchor.of(42, NOW, "request-audit-2025", "5d1f0c9e8b7a6f5e4d3c2b1a0f9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e",
                List.of(new AuditAnchor.AnchoredEntry(REQUEST, 3,
                        "a3f5c2e1d4b6a7980c1e2f3a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e"),
                        new AuditAnchor.AnchoredEntry(REQUEST, 4,
                                "0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0")),
                data -> {
                    try {
                        java.security.Signature signature = java.security.Signature.getInstance("Ed25519");
                        signature.initSign(ANCHOR_KEY);
                        signature.update(data);
                        return java.util.Base64.getEncoder().encodeToString(signature.sign());
                    } catch (java.security.GeneralSecurityException e) {
                        throw new IllegalStateException(e);
                    }
                });
    }

    /** Every payload type once, with the key it travels under. */
    public static List<Object> all() {
        return List.of(consentChanged(), rightsRequestChanged(), command(), ack(), requestProgress(), notification(),
                tenantSettings(), auditAnchor(), consentApplied());
    }

    /** The tenant an example travels under: its own (every payload names one). */
    public static String tenantOf(Object payload) {
        return ((TenantScoped) payload).tenantId();
    }

    public static String keyOf(Object payload) {
        if (payload instanceof AuditAnchor) {
            return "platform";
        }
        return payload instanceof TenantSettings settings ? settings.tenantId() : key();
    }
}
