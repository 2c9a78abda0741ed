package io.privacyplatform.request.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Signature;
import java.util.Base64;

import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.privacyplatform.request.service.OpenDsrSigningKey.Material;

/** The production path: the key and certificate a deployment mounts, read from PEM files. */
class OpenDsrSigningKeyTest {

    @TempDir
    Path dir;

    @Test
    void shouldSignWithTheMountedKeyWhatItsCertificateVerifies() throws Exception {
        Material made = OpenDsrSigningKey.generate("opendsr.example.com");
        // PKCS#8, as openssl genpkey writes it, and PKCS#1, as older tools do.
        Path pkcs8 = write("key.pem", "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                        .encodeToString(made.key().getEncoded())
                + "\n-----END PRIVATE KEY-----\n");
        Path pkcs1 = write("key-rsa.pem", pem(made.key()));
        Path certificate = write("cert.pem", OpenDsrSigningKey.pem(made.chain()));

        for (Path key : new Path[] { pkcs8, pkcs1 }) {
            Material read = OpenDsrSigningKey.read(key, certificate);
            byte[] body = "{\"request_status\":\"completed\"}".getBytes(StandardCharsets.UTF_8);
            Signature verifier = Signature.getInstance("SHA256withRSA");
            verifier.initVerify(read.chain().get(0).getPublicKey());
            verifier.update(body);
            assertThat(verifier.verify(Base64.getDecoder().decode(OpenDsrSigningKey.sign(read.key(), body))))
                    .isTrue();
            assertThat(read.chain().get(0).getSubjectX500Principal().getName()).contains("CN=opendsr.example.com");
        }
    }

    @Test
    void shouldRefuseACertificateThatIsNotTheKeys() throws IOException {
        Path key = write("key.pem", pem(OpenDsrSigningKey.generate("a.example.com").key()));
        Path other = write("cert.pem", OpenDsrSigningKey.pem(OpenDsrSigningKey.generate("b.example.com").chain()));

        assertThatThrownBy(() -> OpenDsrSigningKey.read(key, other)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("is not the certificate of requests.opendsr.key-file");
        assertThatThrownBy(() -> OpenDsrSigningKey.read(other, other)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("holds no unencrypted RSA key");
    }

    private static String pem(Object object) throws IOException {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            writer.writeObject(object);
        }
        return out.toString();
    }

    private Path write(String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content);
    }
}
