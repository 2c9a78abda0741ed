package io.privacyplatform.request.service;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.math.BigInteger;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Optional;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaMiscPEMGenerator;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.io.pem.PemWriter;
import org.jboss.logging.Logger;

import io.privacyplatform.request.config.RequestsConfig;
import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.Startup;

/**
 * The processor's RSA key and X.509 certificate for OpenDSR: answers and callbacks carry {@code X-OpenDSR-Signature},
 * base64 RSA-SHA256 (PKCS#1 v1.5, FIPS 186-4) over the exact body bytes, and the certificate is served at the URL the
 * discovery document names. Read at start from {@code requests.opendsr.key-file} and {@code certificate-file} (a
 * mounted secret, never the database), so a broken pair stops the service then. Dev and test without them make a
 * key and a self-signed certificate for this run (the specification wants a CA-issued one in production); prod
 * without them keeps the OpenDSR endpoint off rather than refusing to start, as most deployments do not offer it.
 */
@Startup
@ApplicationScoped
public class OpenDsrSigningKey {

    private static final Logger LOG = Logger.getLogger(OpenDsrSigningKey.class);
    static final String ALGORITHM = "SHA256withRSA";

    @Inject
    RequestsConfig config;

    /** A private key and its certificate chain (the key's own certificate first). */
    record Material(PrivateKey key, List<X509Certificate> chain) {
    }

    private PrivateKey privateKey;
    private String chainPem;

    @PostConstruct
    void load() {
        Optional<String> keyFile = config.opendsr().keyFile().filter(f -> !f.isBlank());
        Optional<String> certificateFile = config.opendsr().certificateFile().filter(f -> !f.isBlank());
        if (keyFile.isPresent() != certificateFile.isPresent()) {
            throw new IllegalStateException("requests.opendsr.key-file and requests.opendsr.certificate-file go "
                    + "together: set both (the RSA key and its certificate) or neither");
        }
        Material material;
        if (keyFile.isPresent()) {
            material = read(Path.of(keyFile.get()), Path.of(certificateFile.get()));
        } else if (LaunchMode.current() != LaunchMode.NORMAL) {
            LOG.infof("no requests.opendsr.key-file: OpenDSR signs with a key and self-signed certificate made for "
                    + "this %s run", LaunchMode.current().getDefaultProfile());
            material = generate(config.opendsr().publicUrl().map(URI::getHost).orElse("localhost"));
        } else {
            LOG.info("OpenDSR endpoint off: requests.opendsr.key-file and certificate-file are not set");
            return;
        }
        privateKey = material.key();
        chainPem = pem(material.chain());
    }

    /** Whether the endpoint can sign, i.e. is on. */
    public boolean configured() {
        return privateKey != null;
    }

    /** Base64 RSA-SHA256 signature of exactly these bytes. */
    public String sign(byte[] body) {
        return sign(privateKey, body);
    }

    static String sign(PrivateKey key, byte[] body) {
        try {
            Signature signature = Signature.getInstance(ALGORITHM);
            signature.initSign(key);
            signature.update(body);
            return Base64.getEncoder().encodeToString(signature.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign with the OpenDSR key", e);
        }
    }

    /** The certificate (first) and the rest of its chain, PEM. */
    public String certificatePem() {
        return chainPem;
    }

    /** The key and certificate files of a deployment; a certificate that is not the key's stops the service. */
    static Material read(Path keyFile, Path certificateFile) {
        Material material = new Material(readPrivateKey(keyFile), readCertificates(certificateFile));
        byte[] probe = "opendsr-key-check".getBytes(StandardCharsets.US_ASCII);
        try {
            Signature verifier = Signature.getInstance(ALGORITHM);
            verifier.initVerify(material.chain().get(0).getPublicKey());
            verifier.update(probe);
            if (!verifier.verify(Base64.getDecoder().decode(sign(material.key(), probe)))) {
                throw new IllegalStateException("requests.opendsr.certificate-file's first certificate is not the "
                        + "certificate of requests.opendsr.key-file");
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the OpenDSR certificate's key is not an RSA key", e);
        }
        return material;
    }

    /** An RSA 2048 key and a self-signed certificate for {@code host}, valid a year: for dev and test only. */
    static Material generate(String host) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            KeyPair pair = generator.generateKeyPair();
            X500Name name = new X500Name("CN=" + host + ",O=privacy-platform " + LaunchMode.current()
                    .getDefaultProfile() + " run");
            Instant now = Instant.now();
            JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name,
                    new BigInteger(64, new SecureRandom()), Date.from(now.minus(Duration.ofMinutes(5))),
                    Date.from(now.plus(Duration.ofDays(365))), name, pair.getPublic());
            builder.addExtension(Extension.subjectAlternativeName, false,
                    new GeneralNames(new GeneralName(GeneralName.dNSName, host)));
            X509Certificate certificate = new JcaX509CertificateConverter().getCertificate(
                    builder.build(new JcaContentSignerBuilder(ALGORITHM).build(pair.getPrivate())));
            return new Material(pair.getPrivate(), List.of(certificate));
        } catch (GeneralSecurityException | OperatorCreationException | IOException e) {
            throw new IllegalStateException("cannot make the OpenDSR key and certificate for this run", e);
        }
    }

    private static PrivateKey readPrivateKey(Path file) {
        try (Reader reader = Files.newBufferedReader(file); PEMParser parser = new PEMParser(reader)) {
            Object object = parser.readObject();
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
            if (object instanceof PEMKeyPair pair) {
                return converter.getKeyPair(pair).getPrivate();
            }
            if (object instanceof PrivateKeyInfo info) {
                return converter.getPrivateKey(info);
            }
            throw new IllegalStateException("requests.opendsr.key-file " + file + " holds no unencrypted RSA key");
        } catch (IOException e) {
            throw new IllegalStateException("cannot read requests.opendsr.key-file " + file, e);
        }
    }

    private static List<X509Certificate> readCertificates(Path file) {
        try {
            byte[] pem = Files.readAllBytes(file);
            List<X509Certificate> certificates = new ArrayList<>();
            CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(pem))
                    .forEach(c -> certificates.add((X509Certificate) c));
            if (certificates.isEmpty()) {
                throw new IllegalStateException("requests.opendsr.certificate-file " + file + " holds no certificate");
            }
            return List.copyOf(certificates);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot read requests.opendsr.certificate-file " + file, e);
        }
    }

    static String pem(List<X509Certificate> certificates) {
        StringWriter out = new StringWriter();
        try (PemWriter writer = new PemWriter(out)) {
            for (X509Certificate certificate : certificates) {
                writer.writeObject(new JcaMiscPEMGenerator(certificate));
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot write the OpenDSR certificate as PEM", e);
        }
        return out.toString();
    }
}
