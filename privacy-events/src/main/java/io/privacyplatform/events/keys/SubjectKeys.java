package io.privacyplatform.events.keys;

import java.util.List;

/**
 * The platform's data keys, one per data subject (a tenant and the subject's pseudonym), in the manner of a KMS:
 * a key is made when the subject's first personal data is sealed, opened to decrypt, and destroyed when the subject
 * is erased, after which whatever it sealed (events on every topic and {@code .dlq}, backups) is unreadable.
 * <p>
 * {@link JdbcSubjectKeys} is the one implementation (PostgreSQL, keys wrapped by a master key); a cloud KMS with one
 * key per subject could implement the same three calls.
 */
public interface SubjectKeys {

    /**
     * The subject's current key, made now if it has none (or only destroyed ones: data written after an erasure is
     * new data, under a new key).
     *
     * @param subjectRef the subject's pseudonym (the Kafka key of its events), never a raw subject id
     */
    DataKey forEncryption(String tenantId, String subjectRef);

    /**
     * The key {@code keyId}, to open what it sealed.
     *
     * @throws SubjectErasedException the key was destroyed: what it sealed is erased data
     * @throws io.privacyplatform.events.InvalidEventException no such key in this store
     */
    DataKey forDecryption(String keyId);

    /**
     * Destroys every live key of the subject and answers all of its destroyed keys, those destroyed before included
     * (so a repeated call, after a rolled-back transaction say, answers the same keys and times). Idempotent.
     */
    List<DestroyedKey> destroy(String tenantId, String subjectRef);
}
