package io.privacyplatform.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Base64;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.privacyplatform.events.payload.AuditAnchor;
import io.privacyplatform.events.payload.AuditAnchor.AnchoredEntry;

class AuditAnchorTest {

    private static final String H1 = "1".repeat(64);
    private static final String H2 = "2".repeat(64);

    @Test
    void shouldSignTheDocumentedFormThatBindsTheEntries() throws Exception {
        AuditAnchor anchor = Examples.auditAnchor();

        assertThat(anchor.signedForm()).isEqualTo("{\"anchor\":42,\"entries\":2,\"entriesDigest\":\""
                + anchor.entriesDigest() + "\",\"issuedAt\":\"2025-05-01T10:15:30Z\",\"keyId\":\"request-audit-2025\","
                + "\"previous\":\"5d1f0c9e8b7a6f5e4d3c2b1a0f9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e\"}");
        String lines = Examples.REQUEST + ":3:" + anchor.entries().get(0).hash() + "\n" + Examples.REQUEST + ":4:"
                + anchor.entries().get(1).hash() + "\n";
        assertThat(anchor.entriesDigest()).isEqualTo(java.util.HexFormat.of().formatHex(
                java.security.MessageDigest.getInstance("SHA-256").digest(lines.getBytes(StandardCharsets.UTF_8))));
        assertThat(anchor.entriesMatchDigest()).isTrue();
    }

    @Test
    void shouldSurviveTheCodecWithAVerifiableSignatureAndShowAChangedEntry() throws Exception {
        var pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        AuditAnchor anchor = AuditAnchor.of(1, Examples.NOW.plusMillis(123), "k1", AuditAnchor.GENESIS,
                List.of(new AnchoredEntry("r1", 1, H1)), data -> sign(pair.getPrivate(), data));
        EventCodec codec = new EventCodec(Examples.CLOCK);

        AuditAnchor read = codec.decode(codec.envelope("/services/request-service", "platform", "platform", anchor),
                AuditAnchor.class);

        assertThat(read).isEqualTo(anchor);
        assertThat(read.issuedAt()).isEqualTo(Examples.NOW);
        assertThat(verify(pair.getPublic(), read)).isTrue();
        AuditAnchor rewritten = new AuditAnchor(1, read.issuedAt(), "k1", AuditAnchor.GENESIS, read.entriesDigest(),
                List.of(new AnchoredEntry("r1", 1, H2)), read.signature());
        assertThat(rewritten.entriesMatchDigest()).isFalse();
        AuditAnchor renumbered = new AuditAnchor(2, read.issuedAt(), "k1", AuditAnchor.GENESIS,
                read.entriesDigest(), read.entries(), read.signature());
        assertThat(verify(pair.getPublic(), renumbered)).isFalse();
        assertThat(anchor.digest()).hasSize(64).isNotEqualTo(renumbered.digest());
    }

    @Test
    void shouldRejectAnAnchorThatCouldNotBeVerifiedAsDocumented() {
        List<AnchoredEntry> one = List.of(new AnchoredEntry("r1", 1, H1));
        assertThatThrownBy(() -> new AuditAnchor(0, Examples.NOW, "k", H1, H1, one, "s"))
                .hasMessageContaining("anchor");
        assertThatThrownBy(() -> new AuditAnchor(1, Examples.NOW, "k\"", H1, H1, one, "s"))
                .hasMessageContaining("keyId");
        assertThatThrownBy(() -> new AuditAnchor(1, Examples.NOW, "k", "ABC", H1, one, "s"))
                .hasMessageContaining("previous");
        assertThatThrownBy(() -> new AuditAnchor(1, Examples.NOW, "k", H1, H1, List.of(), "s"))
                .hasMessageContaining("entries");
        assertThatThrownBy(() -> new AnchoredEntry("r1", 0, H1)).hasMessageContaining("seq");
        assertThatThrownBy(() -> new AnchoredEntry("r1", 1, "x")).hasMessageContaining("hash");
    }

    private static String sign(java.security.PrivateKey key, byte[] data) {
        try {
            Signature signature = Signature.getInstance("Ed25519");
            signature.initSign(key);
            signature.update(data);
            return Base64.getEncoder().encodeToString(signature.sign());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean verify(PublicKey key, AuditAnchor anchor) throws Exception {
        Signature signature = Signature.getInstance("Ed25519");
        signature.initVerify(key);
        signature.update(anchor.signedForm().getBytes(StandardCharsets.UTF_8));
        return signature.verify(Base64.getDecoder().decode(anchor.signature()));
    }
}
