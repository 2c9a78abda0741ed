package io.privacyplatform.maillog.service;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import io.privacyplatform.events.EventCodec;
import io.privacyplatform.events.keys.DataKey;
import io.privacyplatform.events.keys.SubjectErasedException;
import io.privacyplatform.events.keys.SubjectKeys;
import io.privacyplatform.events.keys.SubjectSeal;
import io.privacyplatform.maillog.MailMessage;
import io.privacyplatform.maillog.repository.MailMessageRepository;
import io.privacyplatform.maillog.rest.MessageView;
import io.privacyplatform.support.keys.SubjectKeyStore;

/**
 * A subject's messages as a backup that an erasure reaches wherever the copy lies: each message one line, sealed
 * with the subject's data key from the platform's key store (the kit's {@link SubjectKeys} and {@link SubjectSeal}).
 * Once retention-service destroys that key (the subject was erased everywhere), every copy of the backup is
 * unreadable: restoring it skips the subject's lines as erased instead of bringing the data back. The subject is
 * named as the platform names it, by its pseudonym (the Kafka key of the commands about it).
 */
@ApplicationScoped
public class SubjectBackup {

    /** One backed-up message: the key it is sealed with, its id, and the sealed {@link MessageView} JSON. */
    public record Line(String keyId, UUID id, String sealed) {
    }

    /** What a backup gave back: the messages whose key still exists, and how many lines were erased data. */
    public record Restored(List<MessageView> messages, int erased) {
    }

    @Inject
    MailMessageRepository mailMessages;

    @Inject
    SubjectKeyStore keyStore;

    @Inject
    EventCodec codec;

    /** The messages to or from {@code email}, sealed with the data key of the subject {@code subjectRef}. */
    @Transactional
    public List<Line> write(String tenantId, String subjectRef, String email) {
        DataKey key = keys().forEncryption(tenantId, subjectRef);
        List<Line> lines = new ArrayList<>();
        for (MailMessage message : mailMessages.subjectMessages(tenantId, email.toLowerCase(Locale.ROOT))) {
            byte[] json = write(MessageView.of(message));
            lines.add(new Line(key.keyId(), message.id, SubjectSeal.seal(key, json, context(tenantId, message.id))));
        }
        return lines;
    }

    /** The backed-up messages that can still be read; a line whose key is destroyed is erased data, and counted. */
    public Restored read(String tenantId, List<Line> lines) {
        List<MessageView> messages = new ArrayList<>();
        int erased = 0;
        for (Line line : lines) {
            try {
                DataKey key = keys().forDecryption(line.keyId());
                messages.add(codec.mapper().readValue(SubjectSeal.open(key, line.sealed(),
                        context(tenantId, line.id())), MessageView.class));
            } catch (SubjectErasedException e) {
                erased++;
            } catch (IOException e) {
                throw new IllegalStateException("backed-up message " + line.id() + " is not a message", e);
            }
        }
        return new Restored(messages, erased);
    }

    /** A sealed line opens only as the message and tenant it was written for. */
    private static String context(String tenantId, UUID id) {
        return "mail-log-store/backup\n" + tenantId + "\n" + id;
    }

    private SubjectKeys keys() {
        return keyStore.keys().orElseThrow(() -> new IllegalStateException(
                "a backup sealed with the subjects' keys needs the platform's key store (privacy.keys.*)"));
    }

    private byte[] write(MessageView view) {
        try {
            return codec.mapper().writeValueAsBytes(view);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write a message", e);
        }
    }
}
