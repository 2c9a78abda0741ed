package io.privacyplatform.request.service;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.privacyplatform.events.EventEnvelope;
import io.privacyplatform.events.SubjectPseudonym;
import io.privacyplatform.events.payload.PrivacyCommand;
import io.privacyplatform.events.payload.Retained;
import io.privacyplatform.events.subscriber.CommandHandler;
import io.privacyplatform.events.subscriber.CommandResult;
import io.privacyplatform.request.ExportPart;
import io.privacyplatform.request.RightsRequest;
import io.privacyplatform.request.config.RequestsConfig;
import io.privacyplatform.request.repository.ExportPartRepository;
import io.privacyplatform.request.repository.RightsRequestRepository;
import io.privacyplatform.support.idempotency.IdempotentRequests;
import io.privacyplatform.support.outbox.Outbox;

/**
 * What this service does as the store {@value #SYSTEM}: the requests it keeps hold personal data too (contact
 * address, rectification values, the export copies, stored answers to {@code Idempotency-Key} requests). Runs in the
 * transaction of platform-support's {@code StoreCommandInbox}, so an ack exists exactly when its effect does.
 * <p>
 * ERASE removes that data from every request of the subject except an open one (it still needs its address and
 * values to finish: the ack says so in {@code retained}); the audit chains stay, they hold no address. EXPORT
 * answers the subject's requests: type, dates, status, outcome.
 */
@ApplicationScoped
public class StoreCommands implements CommandHandler {

    public static final String SYSTEM = "request-service";
    /** The requests' own data: contact address, rectification values, stored API answers. */
    public static final String RECORDS = "rights_request_records";
    /** What the stores exported for access, portability and information requests. */
    public static final String EXPORTS = "export_copies";
    static final String ACTOR = "store:" + SYSTEM;

    @Inject
    RightsRequestRepository requests;

    @Inject
    ExportPartRepository exportParts;

    @Inject
    IdempotentRequests idempotent;

    @Inject
    Outbox outbox;

    @Inject
    SubjectPseudonym pseudonym;

    @Inject
    AuditChain audit;

    @Inject
    RequestsConfig config;

    @Inject
    ObjectMapper mapper;

    @Inject
    Clock clock;

    @Override
    @Transactional(Transactional.TxType.MANDATORY)
    public CommandResult handle(PrivacyCommand command, EventEnvelope envelope) {
        return switch (command.kind()) {
            case ERASE -> erase(command);
            case EXPORT -> export(command);
            default -> CommandResult.failed("request-service does not take " + command.kind() + " commands");
        };
    }

    CommandResult erase(PrivacyCommand command) {
        String tenant = command.tenantId();
        String subject = command.subject().subjectId();
        boolean records = covers(command, RECORDS);
        boolean exports = covers(command, EXPORTS);
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        List<String> erased = new ArrayList<>();
        int openKept = 0;
        int closedKept = 0;
        for (RightsRequest request : requests.lockOfSubject(tenant, subject)) {
            if (request.status.open()) {
                openKept++;
                continue;
            }
            closedKept++;
            List<String> removed = new ArrayList<>();
            if (exports) {
                for (ExportPart part : exportParts.ofRequest(tenant, request.id)) {
                    removed.add(request.id + "/export/" + part.system);
                }
                if (exportParts.deleteOfRequest(tenant, request.id) > 0) {
                    request.exportDeletedAt = now;
                }
            }
            if (records && request.contactEmail != null) {
                request.contactEmail = null;
                removed.add(request.id + "/contact_email");
            }
            if (records && !"{}".equals(request.rectification)) {
                request.rectification = "{}";
                removed.add(request.id + "/rectification");
            }
            if (!removed.isEmpty()) {
                audit.append(request, now, ACTOR, "personal_data_erased", detail(command, removed.size()));
                erased.addAll(removed);
            }
        }
        if (records) {
            // Stored answers repeat the subject id, and sent events its address: neither waits for its prune.
            idempotent.forgetSubject(tenant, subject).forEach(key -> erased.add("idempotency/" + key));
            outbox.forgetSent(tenant, pseudonym.of(tenant, subject));
        }
        List<Retained> retained = new ArrayList<>();
        String keep = config.closed().keepIdentifiers().toString();
        if (openKept > 0) {
            retained.add(Retained.of(RECORDS, "pending rights request (Art. 12 GDPR)", "subject id, contact e-mail,"
                    + " details and rectification values of " + openKept + " open request(s), in clear, removed "
                    + keep + " after the request closes"));
        }
        if (closedKept > 0) {
            retained.add(Retained.of(RECORDS, "accountability for answered rights requests (Art. 5(2) GDPR)",
                    "subject id of " + closedKept + " closed request(s) with type, dates and outcome, removed " + keep
                            + " after closing"));
        }
        if (erased.isEmpty() && retained.isEmpty()) {
            return CommandResult.notFound();
        }
        return CommandResult.done(erased).withRetained(retained);
    }

    /** The subject's requests, oldest first: what was asked, when, and how it ended. */
    CommandResult export(PrivacyCommand command) {
        List<String> ids = new ArrayList<>();
        List<Map<String, Object>> items = new ArrayList<>();
        for (RightsRequest request : requests.ofSubject(command.tenantId(), command.subject().subjectId())) {
            ids.add(request.id.toString());
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("requestId", request.id.toString());
            item.put("type", request.type.wire());
            item.put("status", request.status.wire());
            item.put("receivedAt", text(request.receivedAt));
            item.put("verifiedAt", text(request.verifiedAt));
            item.put("dueAt", text(request.effectiveDueAt()));
            item.put("closedAt", text(request.closedAt));
            item.put("outcomeReason", request.outcomeReason);
            items.add(item);
        }
        if (ids.isEmpty()) {
            return CommandResult.notFound();
        }
        return CommandResult.exported(ids, mapper.valueToTree(items));
    }

    /** No categories on the command means all of this store's. */
    private static boolean covers(PrivacyCommand command, String category) {
        return command.categories().isEmpty() || command.categories().contains(category);
    }

    private static String text(Instant instant) {
        return instant == null ? null : instant.toString();
    }

    private String detail(PrivacyCommand command, int removed) {
        return mapper.createObjectNode().put("commandId", command.commandId()).put("removed", removed).toString();
    }
}
