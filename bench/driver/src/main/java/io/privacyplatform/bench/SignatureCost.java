package io.privacyplatform.bench;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.Signature;
import java.time.Instant;
import java.util.Base64;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;

import io.privacyplatform.events.Ed25519Keys;
import io.privacyplatform.events.EventCodec;
import io.privacyplatform.events.EventEnvelope;
import io.privacyplatform.events.EventSignature;
import io.privacyplatform.events.Topics;
import io.privacyplatform.events.payload.AckOutcome;
import io.privacyplatform.events.payload.CommandAck;

/**
 * The cost of signing and verifying one event (bench/PROFILE.md: signing every published event was 24 % of
 * retention-service's CPU). Figure: microseconds per signature and per verification through {@link EventSignature}
 * (Bouncy Castle's Ed25519); baseline, in the same JVM and run: the JDK's own {@code Signature("Ed25519")} over the
 * same bytes. Several rounds, the last one reported, so both are JIT-compiled.
 *
 * <pre>bench/driver.sh SignatureCost [--iterations 2000] [--rounds 5]</pre>
 */
public final class SignatureCost {

    private SignatureCost() {
    }

    public static void main(String[] args) throws Exception {
        Options options = new Options(args);
        int iterations = options.integer("iterations", 2000);
        int rounds = options.integer("rounds", 5);
        KeyPair keys = Ed25519Keys.generate();
        EventCodec codec = new EventCodec();
        EventEnvelope envelope = codec.envelope("/stores/bench", "acme", "key-1", new CommandAck("cmd-1",
                "bench-store-1", "acme", "req-1", AckOutcome.DONE, 3, null, null, null, Instant.now()));
        ProducerRecord<String, byte[]> record = envelope.toRecord(Topics.COMMAND_ACK);
        Headers headers = record.headers();
        EventSignature platform = new EventSignature("bench", keys.getPrivate());
        // The JDK signs bytes of the same length and shape as the platform's signed text (id, source, type, tenant,
        // base64 SHA-256 of the data; EventSignature's javadoc).
        byte[] signed = (envelope.id() + "\n" + envelope.source() + "\n" + envelope.type() + "\n" + envelope.tenantId()
                + "\n" + Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(envelope.data())))
                .getBytes(StandardCharsets.UTF_8);

        double[] last = new double[4];
        for (int round = 1; round <= rounds; round++) {
            long t0 = System.nanoTime();
            for (int i = 0; i < iterations; i++) {
                platform.signInto(envelope, headers);
            }
            long t1 = System.nanoTime();
            for (int i = 0; i < iterations; i++) {
                EventSignature.verify(envelope, headers, keys.getPublic());
            }
            long t2 = System.nanoTime();
            byte[] jdkSignature = null;
            for (int i = 0; i < iterations; i++) {
                Signature jdk = Signature.getInstance(Ed25519Keys.ALGORITHM);
                jdk.initSign(keys.getPrivate());
                jdk.update(signed);
                jdkSignature = jdk.sign();
            }
            long t3 = System.nanoTime();
            for (int i = 0; i < iterations; i++) {
                Signature jdk = Signature.getInstance(Ed25519Keys.ALGORITHM);
                jdk.initVerify(keys.getPublic());
                jdk.update(signed);
                jdk.verify(jdkSignature);
            }
            long t4 = System.nanoTime();
            last = new double[] {micros(t1 - t0, iterations), micros(t2 - t1, iterations),
                    micros(t3 - t2, iterations), micros(t4 - t3, iterations)};
            System.err.printf("round %d: platform sign %.0f us, verify %.0f us; JDK sign %.0f us, verify %.0f us%n",
                    round, last[0], last[1], last[2], last[3]);
        }
        System.out.printf("sign-us=%.1f%nverify-us=%.1f%njdk-sign-us=%.1f%njdk-verify-us=%.1f%n", last[0], last[1],
                last[2], last[3]);
    }

    private static double micros(long nanos, int iterations) {
        return nanos / 1000.0 / iterations;
    }
}
