package io.privacyplatform.request;

import java.time.Duration;
import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * An operator signed in to the dashboard. The browser holds the session id; the row is found by its SHA-256
 * ({@code idHash}), so a copy of the table lets nobody in. It keeps what the token said at sign-in, never the token.
 */
@Entity
@Table(name = "dashboard_session")
public class DashboardSession {

    @Id
    @Column(name = "id_hash")
    public String idHash;

    @Column(name = "tenant_id")
    public String tenantId;

    /** The token's name (upn or sub), shown in the page header and written as the actor of every action. */
    public String subject;

    /** The token's groups at sign-in, comma-separated. */
    public String roles;

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "last_seen_at")
    public Instant lastSeenAt;

    @Column(name = "expires_at")
    public Instant expiresAt;

    /** Whether the session still holds at {@code now}: before its absolute end and used within the idle timeout. */
    public boolean activeAt(Instant now, Duration idleTimeout) {
        return now.isBefore(expiresAt) && now.isBefore(lastSeenAt.plus(idleTimeout));
    }
}
