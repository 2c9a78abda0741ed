package io.privacyplatform.request.service;

import java.time.Clock;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import io.privacyplatform.events.payload.CommandAck;
import io.privacyplatform.request.ExportPart;
import io.privacyplatform.request.repository.ExportPartRepository;

/** Keeps what each store exported for a request; a later ack of the same system replaces the earlier one. */
@ApplicationScoped
public class ExportCollector {

    @Inject
    ExportPartRepository parts;

    @Inject
    Clock clock;

    @Transactional(Transactional.TxType.MANDATORY)
    public void onAck(String tenantId, CommandAck ack) {
        if (ack.requestId() == null || ack.data() == null || ack.data().isNull()) {
            return;
        }
        UUID requestId;
        try {
            requestId = UUID.fromString(ack.requestId());
        } catch (IllegalArgumentException e) {
            return;
        }
        ExportPart.Key key = new ExportPart.Key();
        key.tenantId = tenantId;
        key.requestId = requestId;
        key.system = ack.system();
        ExportPart part = parts.findById(key);
        if (part == null) {
            part = new ExportPart();
            part.tenantId = tenantId;
            part.requestId = requestId;
            part.system = ack.system();
        }
        part.commandId = ack.commandId();
        part.records = ack.records();
        part.data = ack.data().toString();
        part.receivedAt = clock.instant();
        parts.persist(part);
    }
}
