package io.privacyplatform.request;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;

/** A one-time link to a completed request's export, by the SHA-256 of its random token; used once, then spent. */
@Entity
@Table(name = "export_download_link")
public class ExportDownloadLink extends RequestToken {

    @Column(name = "used_at")
    public Instant usedAt;
}
