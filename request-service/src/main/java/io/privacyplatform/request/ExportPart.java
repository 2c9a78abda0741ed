package io.privacyplatform.request;

import java.io.Serializable;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;


/**
 * One part of what one store exported for one request (the data of an EXPORT ack). A store may send its export in
 * several ordered acks ({@code part} 1..{@code parts}); a single-part ack is part 1 of 1. Each part is kept once.
 */
@Entity
@Table(name = "export_part")
@IdClass(ExportPart.Key.class)
public class ExportPart {

    @Id
    @Column(name = "tenant_id")
    public String tenantId;

    @Id
    @Column(name = "request_id")
    public UUID requestId;

    @Id
    public String system;

    @Id
    public int part;

    public int parts;

    @Column(name = "command_id")
    public String commandId;

    /** The records of the whole export of this system (every part carries the same count). */
    public long records;

    /** The ack's {@code data}, as JSON text. */
    public String data;

    @Column(name = "received_at")
    public Instant receivedAt;

    public static class Key implements Serializable {
        public String tenantId;
        public UUID requestId;
        public String system;
        public int part;

        @Override
        public boolean equals(Object other) {
            return other instanceof Key key && Objects.equals(tenantId, key.tenantId)
                    && Objects.equals(requestId, key.requestId) && Objects.equals(system, key.system)
                    && part == key.part;
        }

        @Override
        public int hashCode() {
            return Objects.hash(tenantId, requestId, system, part);
        }
    }
}
