package io.privacyplatform.request;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.privacyplatform.request.mapping.WireConverters;

/** One status callback owed to one of a request's {@code status_callback_urls}: a row of the durable outbox. */
@Entity
@Table(name = "opendsr_callback")
public class OpenDsrCallback {

    @Id
    public UUID id;

    /** Written by the database (bigserial): the order in which callbacks were owed. */
    @Column(insertable = false, updatable = false)
    public Long seq;

    @Column(name = "opendsr_request_id")
    public UUID openDsrRequestId;

    public String url;

    /** The status document exactly as signed and sent (UTF-8). */
    public String body;

    @Convert(converter = WireConverters.OpenDsrCallbackStateColumn.class)
    public OpenDsrCallbackState state;

    public int attempts;

    @Column(name = "next_attempt_at")
    public Instant nextAttemptAt;

    @Column(name = "last_error")
    public String lastError;

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "delivered_at")
    public Instant deliveredAt;
}
