package io.privacyplatform.request;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import io.privacyplatform.request.mapping.WireConverters;

/** An OpenDSR request of a controller's tool, and the platform's rights request it became. */
@Entity
@Table(name = "opendsr_request")
public class OpenDsrRequest {

    @Id
    public UUID id;

    @Column(name = "tenant_id")
    public String tenantId;

    @Column(name = "subject_request_id")
    public UUID subjectRequestId;

    /** The platform's rights request. */
    @Column(name = "request_id")
    public UUID requestId;

    @Column(name = "body_digest")
    public String bodyDigest;

    @Convert(converter = WireConverters.OpenDsrDialectColumn.class)
    public OpenDsrDialect dialect;

    @Column(name = "api_version")
    public String apiVersion;

    @Column(name = "submitted_time")
    public Instant submittedTime;

    @Column(name = "received_at")
    public Instant receivedAt;

    @Column(name = "processor_base_url")
    public String processorBaseUrl;

    @JdbcTypeCode(SqlTypes.ARRAY)
    @Column(name = "status_callback_urls")
    public List<String> statusCallbackUrls;

    @Convert(converter = WireConverters.OpenDsrStatusColumn.class)
    @Column(name = "reported_status")
    public OpenDsrStatus reportedStatus;
}
