package io.privacyplatform.request;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.Map;

import org.eclipse.microprofile.config.ConfigProvider;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jwa.AlgorithmConstraints.ConstraintType;
import org.jose4j.jwe.ContentEncryptionAlgorithmIdentifiers;
import org.jose4j.jwe.JsonWebEncryption;
import org.jose4j.jwe.KeyManagementAlgorithmIdentifiers;
import org.jose4j.lang.JoseException;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.privacyplatform.events.payload.Notification;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * The mailer's key pair under test: made fresh for each application start; the service gets the public key
 * ({@code requests.mailer.public-key}), the tests the private one ({@code test.mailer.private-key}). {@link #open}
 * is what a mailer does with a {@code verification_code} notification: it decrypts {@code params.sealed}.
 */
@QuarkusTestResource(MailerKeys.class)
public class MailerKeys implements QuarkusTestResourceLifecycleManager {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public Map<String, String> start() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            KeyPair pair = generator.generateKeyPair();
            return Map.of("requests.mailer.public-key",
                    Base64.getEncoder().encodeToString(pair.getPublic().getEncoded()),
                    "test.mailer.private-key", Base64.getEncoder().encodeToString(pair.getPrivate().getEncoded()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void stop() {
    }

    /** The sealed parameters of a notification, decrypted with the mailer's private key (jose4j). */
    public static Map<String, String> open(Notification notification) {
        try {
            JsonWebEncryption jwe = new JsonWebEncryption();
            // Accept exactly the documented algorithms, nothing weaker.
            jwe.setAlgorithmConstraints(new AlgorithmConstraints(ConstraintType.PERMIT,
                    KeyManagementAlgorithmIdentifiers.RSA_OAEP_256));
            jwe.setContentEncryptionAlgorithmConstraints(new AlgorithmConstraints(ConstraintType.PERMIT,
                    ContentEncryptionAlgorithmIdentifiers.AES_256_GCM));
            jwe.setCompactSerialization(notification.params().get("sealed"));
            jwe.setKey(privateKey());
            return JSON.readValue(jwe.getPayload(), new TypeReference<Map<String, String>>() {
            });
        } catch (JoseException | java.io.IOException e) {
            throw new IllegalStateException("the sealed parameters do not open with the mailer's key", e);
        }
    }

    /** The verification code a mailer would write into the e-mail. */
    public static String code(Notification notification) {
        return open(notification).get("code");
    }

    private static PrivateKey privateKey() {
        String encoded = ConfigProvider.getConfig().getValue("test.mailer.private-key", String.class);
        try {
            return KeyFactory.getInstance("RSA").generatePrivate(
                    new PKCS8EncodedKeySpec(Base64.getDecoder().decode(encoded)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
