package io.privacyplatform.events;

import java.nio.charset.StandardCharsets;
import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.Base64;
import java.util.Objects;

import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;
import org.bouncycastle.crypto.util.PrivateKeyFactory;
import org.bouncycastle.crypto.util.PublicKeyFactory;

/**
 * Who wrote an event. Kafka does not tell a consumer who produced a record, so a writer signs what it writes with its
 * Ed25519 key and a consumer that must know the writer (retention-service, for the stores' acks) verifies the
 * signature with the key the writer registered.
 * <p>
 * Headers: {@value #HEADER_SIGNATURE} (base64 Ed25519 signature) and {@value #HEADER_SIGNER} (the name of the system
 * or service that signed, for diagnostics: a verifier picks the key by what the payload claims, never by this
 * header). The signed bytes, UTF-8:
 *
 * <pre>
 * ce_id "\n" ce_source "\n" ce_type "\n" ce_tenantid "\n" base64(SHA-256(data))
 * </pre>
 *
 * The id makes a signature good for one event only (replaying it is a duplicate, which consumers drop); the type
 * keeps a signed event of one kind from passing as another with the same bytes; source and tenant keep it from
 * being re-addressed; the data hash covers the payload.
 * <p>
 * Signing and verifying go through Bouncy Castle's Ed25519 rather than the JDK's provider: the same RFC 8032
 * signatures (keys still come as JCA keys), but JDK 17's pure-Java EdDSA cost ~1 ms per signature on this platform's
 * 2-core reference machine against ~0.1 ms here, and every published event is signed on the outbox relay's one
 * thread and every ack verified on a consumer thread (bench/PROFILE.md: 24 % of retention-service's CPU).
 */
public final class EventSignature {

    public static final String HEADER_SIGNATURE = "privacy_signature";
    public static final String HEADER_SIGNER = "privacy_signer";

    private final String signer;
    private final Ed25519PrivateKeyParameters key;

    /**
     * @param signer the name written into {@value #HEADER_SIGNER}
     * @param key an Ed25519 private key
     */
    public EventSignature(String signer, PrivateKey key) {
        this.signer = Require.text(signer, "signer");
        Objects.requireNonNull(key, "key");
        if (!Ed25519Keys.ALGORITHM.equalsIgnoreCase(key.getAlgorithm())
                && !"EdDSA".equalsIgnoreCase(key.getAlgorithm())) {
            throw new IllegalArgumentException("the signing key must be " + Ed25519Keys.ALGORITHM + ", not "
                    + key.getAlgorithm());
        }
        this.key = ed25519(key.getEncoded(), true, Ed25519PrivateKeyParameters.class);
    }

    public String signer() {
        return signer;
    }

    /** Adds the signature headers of {@code envelope} to {@code headers} (those of the record it became). */
    public void signInto(EventEnvelope envelope, Headers headers) {
        headers.remove(HEADER_SIGNATURE);
        headers.remove(HEADER_SIGNER);
        headers.add(HEADER_SIGNATURE, Base64.getEncoder().encodeToString(sign(envelope))
                .getBytes(StandardCharsets.US_ASCII));
        headers.add(HEADER_SIGNER, signer.getBytes(StandardCharsets.UTF_8));
    }

    byte[] sign(EventEnvelope envelope) {
        byte[] bytes = signedBytes(envelope);
        Ed25519Signer signature = new Ed25519Signer();
        signature.init(true, key);
        signature.update(bytes, 0, bytes.length);
        return signature.generateSignature();
    }

    /** The Bouncy Castle form of a JCA Ed25519 key, from its PKCS#8 (private) or X.509 (public) encoding. */
    private static <K extends AsymmetricKeyParameter> K ed25519(byte[] encoded, boolean isPrivate, Class<K> type) {
        AsymmetricKeyParameter parameter;
        try {
            parameter = isPrivate ? PrivateKeyFactory.createKey(encoded) : PublicKeyFactory.createKey(encoded);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("not a readable " + Ed25519Keys.ALGORITHM + " key", e);
        }
        if (!type.isInstance(parameter)) {
            throw new IllegalArgumentException("the key must be " + Ed25519Keys.ALGORITHM + ", not "
                    + parameter.getClass().getSimpleName());
        }
        return type.cast(parameter);
    }

    /** Why a record's signature was not accepted; {@link #label()} is the metric tag. */
    public enum Rejection {
        /** No (or no readable) signature header. */
        UNSIGNED("unsigned"),
        /** A signature that the expected key did not make, or one over other bytes. */
        BAD_SIGNATURE("bad_signature");

        private final String label;

        Rejection(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    /** A record whose signature is missing or wrong: poison, for the dead-letter topic. */
    public static final class RejectedSignatureException extends InvalidEventException {
        private static final long serialVersionUID = 1L;
        private final Rejection rejection;

        RejectedSignatureException(Rejection rejection, String message) {
            super(message);
            this.rejection = rejection;
        }

        public Rejection rejection() {
            return rejection;
        }
    }

    /**
     * Checks that {@code key} signed {@code envelope} (read from a record with {@code headers}).
     *
     * @throws RejectedSignatureException unsigned, or not signed by {@code key}
     */
    public static void verify(EventEnvelope envelope, Headers headers, PublicKey key) {
        Objects.requireNonNull(key, "key");
        Header header = headers.lastHeader(HEADER_SIGNATURE);
        if (header == null || header.value() == null) {
            throw new RejectedSignatureException(Rejection.UNSIGNED, "event " + envelope.id() + " is not signed");
        }
        byte[] signed;
        try {
            signed = Base64.getDecoder().decode(header.value());
        } catch (IllegalArgumentException e) {
            throw new RejectedSignatureException(Rejection.UNSIGNED,
                    "event " + envelope.id() + " has an unreadable signature");
        }
        byte[] bytes = signedBytes(envelope);
        Ed25519Signer signature = new Ed25519Signer();
        signature.init(false, ed25519(key.getEncoded(), false, Ed25519PublicKeyParameters.class));
        signature.update(bytes, 0, bytes.length);
        // A signature of the wrong length or a malformed one is as wrong as a mismatching one: false, not an error.
        if (!signature.verifySignature(signed)) {
            throw new RejectedSignatureException(Rejection.BAD_SIGNATURE,
                    "event " + envelope.id() + " is not signed by the key of its writer");
        }
    }

    static byte[] signedBytes(EventEnvelope envelope) {
        // One field per line: a line break inside a field would make two different events sign alike.
        for (String field : new String[] {envelope.id(), envelope.source(), envelope.type(), envelope.tenantId()}) {
            if (field.indexOf('\n') >= 0 || field.indexOf('\r') >= 0) {
                throw new InvalidEventException("event " + envelope.id().strip()
                        + " has a line break in an attribute and cannot be signed or verified");
            }
        }
        String text = envelope.id() + "\n" + envelope.source() + "\n" + envelope.type() + "\n" + envelope.tenantId()
                + "\n" + Base64.getEncoder().encodeToString(sha256(envelope.data()));
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
