package io.privacyplatform.support.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.privacyplatform.events.Ed25519Keys;

class SigningKeyRingTest {

    private static final byte[] DATA = "{\"a\":1}".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path dir;

    @Test
    void shouldDeriveThePublicHalfOfAPrivateKeyFile() throws Exception {
        KeyPair pair = Ed25519Keys.writeNew(dir, "k1");

        assertThat(Ed25519Keys.publicOf(Ed25519Keys.readPrivate(dir.resolve("k1.pem")))).isEqualTo(pair.getPublic());
        assertThat(Files.readString(dir.resolve("k1.pem"))).startsWith("-----BEGIN PRIVATE KEY-----\n");
    }

    @Test
    void shouldSignWithTheCurrentKeyAndVerifyWithEveryPublishedOne() throws Exception {
        KeyPair old = Ed25519Keys.writeNew(dir, "2025-01");
        String oldSignature = Ed25519Keys.sign(old.getPrivate(), DATA);
        // Retired: only the public half stays.
        Files.writeString(dir.resolve("2025-01.pub.pem"), Ed25519Keys.publicPem(old.getPublic()));
        Files.delete(dir.resolve("2025-01.pem"));
        Ed25519Keys.writeNew(dir, "2026-01");
        Files.writeString(dir.resolve("README"), "not a key");
        Files.createDirectories(dir.resolve("..2026_01_01"));

        SigningKeyRing ring = load("2026-01");

        assertThat(ring.currentKeyId()).isEqualTo("2026-01");
        assertThat(ring.verify("2026-01", DATA, ring.sign(DATA))).isTrue();
        assertThat(ring.verify("2025-01", DATA, ring.sign(DATA))).isFalse();
        assertThat(ring.verify("2025-01", DATA, oldSignature)).isTrue();
        assertThat(ring.verify("unknown", DATA, oldSignature)).isFalse();
        assertThat(ring.verify("2025-01", DATA, "not base64!")).isFalse();
        assertThat(ring.published()).extracting(PublishedKey::keyId, PublishedKey::status)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("2026-01", KeyStatus.CURRENT),
                        org.assertj.core.groups.Tuple.tuple("2025-01", KeyStatus.RETIRED));
        assertThat(ring.published().get(1).publicKey()).isEqualTo(Ed25519Keys.publicKeyBase64(old.getPublic()));
    }

    @Test
    void shouldRefuseToStartWithoutAKeyNamingWhatToSet() throws Exception {
        assertThatThrownBy(() -> SigningKeyRing.load(Optional.empty(), Optional.of("k"), "x.keys-dir",
                "x.current-key-id")).hasMessageContaining("x.keys-dir is not set");
        assertThatThrownBy(() -> SigningKeyRing.load(Optional.of(dir.resolve("absent").toString()),
                Optional.of("k"), "x.keys-dir", "x.current-key-id")).hasMessageContaining("is not a directory");
        Ed25519Keys.writeNew(dir, "k1");
        assertThatThrownBy(() -> load(null)).hasMessageContaining("x.current-key-id is not set");
        assertThatThrownBy(() -> load("k2")).hasMessageContaining("holds no k2.pem").hasMessageContaining("[k1]");
    }

    @Test
    void shouldRejectAPublicFileThatIsNotThePrivateKeysHalf() throws Exception {
        Ed25519Keys.writeNew(dir, "k1");
        Files.writeString(dir.resolve("k1.pub.pem"), Ed25519Keys.publicPem(Ed25519Keys.generate().getPublic()));

        assertThatThrownBy(() -> load("k1")).hasMessageContaining("not the public half");
    }

    @Test
    void shouldRejectAFileThatIsNoKeyAndABadKeyId() throws Exception {
        Files.writeString(dir.resolve("k1.pem"), "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n");
        assertThatThrownBy(() -> load("k1")).hasMessageContaining("no '-----BEGIN PRIVATE KEY-----' block");
        Files.delete(dir.resolve("k1.pem"));
        Ed25519Keys.writeNew(dir, "k1");
        Files.copy(dir.resolve("k1.pem"), dir.resolve("bad key.pem"));
        assertThatThrownBy(() -> load("k1")).hasMessageContaining("key id 'bad key' must match");
    }

    private SigningKeyRing load(String current) {
        return SigningKeyRing.load(Optional.of(dir.toString()), Optional.ofNullable(current), "x.keys-dir",
                "x.current-key-id");
    }
}
