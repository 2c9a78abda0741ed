package io.privacyplatform.maillog;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** One sent e-mail's header log. The body is kept only for sampled messages, in {@code mail_sample}. */
@Entity
@Table(name = "mail_message")
public class MailMessage {

    @Id
    public UUID id;

    @Column(name = "tenant_id")
    public String tenantId;

    @Column(name = "message_id")
    public String messageId;

    public String sender;

    @JdbcTypeCode(SqlTypes.ARRAY)
    @Column(name = "to_addresses")
    public String[] toAddresses;

    @JdbcTypeCode(SqlTypes.ARRAY)
    @Column(name = "cc_addresses")
    public String[] ccAddresses;

    @JdbcTypeCode(SqlTypes.ARRAY)
    public String[] recipients;

    public String subject;

    @JdbcTypeCode(SqlTypes.JSON)
    public Map<String, String> headers;

    @Column(name = "sent_at")
    public Instant sentAt;

    @Column(name = "stored_at")
    public Instant storedAt;

    public boolean restricted;
}
