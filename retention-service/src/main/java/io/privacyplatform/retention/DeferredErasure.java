package io.privacyplatform.retention;

import java.time.Instant;
import java.util.UUID;

import io.privacyplatform.retention.mapping.WireConverters;
import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** One category of one system that a legal hold kept from an erasure: erased once no hold covers it any more. */
@Entity
@Table(name = "deferred_erasure")
public class DeferredErasure {

    @Id
    public UUID id;

    @Column(name = "request_id")
    public String requestId;

    @Column(name = "tenant_id")
    public String tenantId;

    @Column(name = "system_id")
    public String systemId;

    public String category;

    /** The reason of the hold that kept it (as on the original certificate). */
    @Column(name = "hold_reason")
    public String holdReason;

    /** The CommandSubject as JSON, kept only until the deferred ERASE is issued. */
    public String subject;

    @Convert(converter = WireConverters.DeferredStateColumn.class)
    public DeferredState state;

    /** The release that issued its ERASE; the deferred commands carry the same id. */
    @Column(name = "release_id")
    public UUID releaseId;

    /** Why the category was released (a hold's release reason, or its expiry), for the certificate's amendment. */
    @Column(name = "release_reason")
    public String releaseReason;

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "released_at")
    public Instant releasedAt;
}
