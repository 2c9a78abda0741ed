package io.privacyplatform.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.Signature;
import java.util.Base64;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.privacyplatform.events.EventSignature.Rejection;
import io.privacyplatform.events.EventSignature.RejectedSignatureException;
import io.privacyplatform.events.payload.CommandAck;

class EventSignatureTest {

    private static final KeyPair STORE = Ed25519Keys.generate();
    private static final KeyPair OTHER = Ed25519Keys.generate();

    private final EventCodec codec = new EventCodec(Examples.CLOCK);
    private final EventSignature signature = new EventSignature("mail-log-store", STORE.getPrivate());

    @Test
    void shouldVerifyAnEventSignedWithTheMatchingKey() {
        EventEnvelope ack = ackEnvelope(Examples.ack());
        ProducerRecord<String, byte[]> record = ack.toRecord(Topics.COMMAND_ACK);

        signature.signInto(ack, record.headers());

        assertThat(new String(record.headers().lastHeader(EventSignature.HEADER_SIGNER).value(),
                StandardCharsets.UTF_8)).isEqualTo("mail-log-store");
        EventEnvelope received = EventEnvelope.fromRecord(EnvelopeRoundTripTest.consumed(record));
        assertThatCode(() -> EventSignature.verify(received, record.headers(), STORE.getPublic()))
                .doesNotThrowAnyException();
    }

    @Test
    void shouldMakeSignaturesThatTheJdksEd25519VerifiesAndAcceptTheJdksSignatures() throws Exception {
        // Stores sign their acks with whatever RFC 8032 implementation they have: ours must interoperate.
        EventEnvelope ack = ackEnvelope(Examples.ack());
        Headers ours = ack.toRecord(Topics.COMMAND_ACK).headers();
        signature.signInto(ack, ours);
        Signature jdk = Signature.getInstance(Ed25519Keys.ALGORITHM);
        jdk.initVerify(STORE.getPublic());
        jdk.update(EventSignature.signedBytes(ack));
        assertThat(jdk.verify(Base64.getDecoder().decode(ours.lastHeader(EventSignature.HEADER_SIGNATURE).value())))
                .isTrue();

        jdk.initSign(STORE.getPrivate());
        jdk.update(EventSignature.signedBytes(ack));
        Headers theirs = ack.toRecord(Topics.COMMAND_ACK).headers();
        theirs.add(EventSignature.HEADER_SIGNATURE, Base64.getEncoder().encode(jdk.sign()));
        assertThatCode(() -> EventSignature.verify(ack, theirs, STORE.getPublic())).doesNotThrowAnyException();
    }

    @Test
    void shouldRejectASignatureOfTheWrongLength() {
        EventEnvelope ack = ackEnvelope(Examples.ack());
        Headers headers = ack.toRecord(Topics.COMMAND_ACK).headers();
        headers.add(EventSignature.HEADER_SIGNATURE, Base64.getEncoder().encode(new byte[] {1, 2, 3}));

        assertRejected(ack, headers, Rejection.BAD_SIGNATURE);
    }

    @Test
    void shouldRejectAnUnsignedEvent() {
        EventEnvelope ack = ackEnvelope(Examples.ack());
        Headers headers = ack.toRecord(Topics.COMMAND_ACK).headers();

        assertRejected(ack, headers, Rejection.UNSIGNED);
    }

    @Test
    void shouldRejectAnEventSignedWithAnotherKey() {
        EventEnvelope ack = ackEnvelope(Examples.ack());
        Headers headers = ack.toRecord(Topics.COMMAND_ACK).headers();
        new EventSignature("mail-log-store", OTHER.getPrivate()).signInto(ack, headers);

        assertRejected(ack, headers, Rejection.BAD_SIGNATURE);
    }

    @Test
    void shouldRejectASignatureMovedToOtherDataOrAnotherTenantOrId() {
        EventEnvelope genuine = ackEnvelope(Examples.ack());
        Headers headers = genuine.toRecord(Topics.COMMAND_ACK).headers();
        signature.signInto(genuine, headers);

        EventEnvelope otherData = new EventEnvelope(genuine.id(), genuine.source(), genuine.type(), genuine.time(),
                genuine.subject(), genuine.tenantId(), genuine.key(), codec.encode(Examples.exportAck()));
        EventEnvelope otherTenant = new EventEnvelope(genuine.id(), genuine.source(), genuine.type(), genuine.time(),
                genuine.subject(), "other", genuine.key(), genuine.data());
        EventEnvelope otherId = new EventEnvelope("evt-2", genuine.source(), genuine.type(), genuine.time(),
                genuine.subject(), genuine.tenantId(), genuine.key(), genuine.data());

        assertRejected(otherData, headers, Rejection.BAD_SIGNATURE);
        assertRejected(otherTenant, headers, Rejection.BAD_SIGNATURE);
        assertRejected(otherId, headers, Rejection.BAD_SIGNATURE);
    }

    @Test
    void shouldReadAPemPrivateKeyAndDeriveItsPublicKey(@TempDir Path dir) throws Exception {
        Path pem = dir.resolve("store.pem");
        Files.writeString(pem, Ed25519Keys.privatePem(STORE.getPrivate()));

        KeyPair read = Ed25519Keys.readKeyPair(pem);

        assertThat(read.getPublic().getEncoded()).isEqualTo(STORE.getPublic().getEncoded());
        assertThat(Ed25519Keys.publicKeyFromBase64(Ed25519Keys.publicKeyBase64(read.getPublic())).getEncoded())
                .isEqualTo(STORE.getPublic().getEncoded());
    }

    @Test
    void shouldRefuseAFileThatHoldsNoEd25519PrivateKey(@TempDir Path dir) throws Exception {
        Path pem = dir.resolve("public.pem");
        Files.writeString(pem, "-----BEGIN PUBLIC KEY-----\n"
                + Ed25519Keys.publicKeyBase64(STORE.getPublic()) + "\n-----END PUBLIC KEY-----\n");

        assertThatThrownBy(() -> Ed25519Keys.readKeyPair(pem)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Ed25519Keys.publicKeyFromBase64("not a key")).isInstanceOf(IllegalArgumentException.class);
    }

    private EventEnvelope ackEnvelope(CommandAck ack) {
        return codec.envelope("evt-1", "/stores/" + ack.system(), ack.tenantId(), Examples.key(), ack);
    }

    private static void assertRejected(EventEnvelope envelope, Headers headers, Rejection expected) {
        assertThatThrownBy(() -> EventSignature.verify(envelope, headers, STORE.getPublic()))
                .isInstanceOfSatisfying(RejectedSignatureException.class,
                        e -> assertThat(e.rejection()).isEqualTo(expected))
                .isInstanceOf(InvalidEventException.class);
    }
}
