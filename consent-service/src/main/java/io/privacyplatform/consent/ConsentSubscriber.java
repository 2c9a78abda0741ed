package io.privacyplatform.consent;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * An internal system that acts on consent decisions (the mailer, an ads integration) and acknowledges each one it
 * applied on {@code privacy.consent.applied.v1}. Platform configuration: it receives every tenant's decisions.
 */
@Entity
@Table(name = "consent_subscriber")
public class ConsentSubscriber {

    /** The system's name, the one its acknowledgements carry ({@code ConsentApplied.system}). */
    @Id
    public String id;

    public String description;

    public String owner;

    /** Base64 X.509 Ed25519 public key: an acknowledgement counts only when its signature verifies with it. */
    @Column(name = "public_key")
    public String publicKey;

    /** From then on the system is expected to apply every withdrawal. */
    @Column(name = "registered_at")
    public Instant registeredAt;

    @Column(name = "updated_at")
    public Instant updatedAt;

    @Column(name = "updated_by")
    public String updatedBy;
}
