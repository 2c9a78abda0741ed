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


/** What one store exported for one request (the data of its EXPORT ack); the latest ack per system wins. */
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

    @Column(name = "command_id")
    public String commandId;

    public long records;

    /** The ack's {@code data}, as JSON text. */
    public String data;

    @Column(name = "received_at")
    public Instant receivedAt;

    public static class Key implements Serializable {
        public String tenantId;
        public UUID requestId;
        public String system;

        @Override
        public boolean equals(Object other) {
            return other instanceof Key key && Objects.equals(tenantId, key.tenantId)
                    && Objects.equals(requestId, key.requestId) && Objects.equals(system, key.system);
        }

        @Override
        public int hashCode() {
            return Objects.hash(tenantId, requestId, system);
        }
    }
}
