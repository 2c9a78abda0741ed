package io.privacyplatform.maillog.rest;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.privacyplatform.maillog.MailMessage;

/** A message's header log as the account sees it in its control panel. */
public record MessageView(UUID id, String messageId, String from, List<String> to, List<String> cc, String subject,
        Instant sentAt, Map<String, String> headers) {

    public static MessageView of(MailMessage message) {
        return new MessageView(message.id, message.messageId, message.sender, List.of(message.toAddresses),
                List.of(message.ccAddresses), message.subject, message.sentAt, message.headers);
    }
}
