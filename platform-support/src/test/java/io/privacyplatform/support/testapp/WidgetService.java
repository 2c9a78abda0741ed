package io.privacyplatform.support.testapp;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import io.privacyplatform.events.SubjectPseudonym;
import io.privacyplatform.events.payload.Notification;
import io.privacyplatform.support.error.ApiException;
import io.privacyplatform.support.outbox.Outbox;

@ApplicationScoped
public class WidgetService {

    public static final String FAIL_AFTER_PUBLISH = "fail-after-publish";

    @Inject
    Outbox outbox;

    @Inject
    SubjectPseudonym pseudonym;

    public record Created(Widget widget, String eventId) {
    }

    /** Stores a widget and announces it; {@code owner} decides the event key (so tests control ordering). */
    @Transactional
    public Created create(String tenantId, String owner, String name, Map<String, String> params) {
        Widget widget = new Widget();
        widget.id = UUID.randomUUID();
        widget.tenantId = tenantId;
        widget.name = name;
        widget.createdAt = Instant.now();
        widget.persist();
        Notification event = new Notification(UUID.randomUUID().toString(), tenantId, "widget_created", null,
                null, null, params, Instant.now());
        String eventId = outbox.publish(tenantId, pseudonym.of(tenantId, owner), event).id();
        if (name.startsWith(FAIL_AFTER_PUBLISH)) {
            throw ApiException.conflict("widget_refused", "refused after the event was written");
        }
        return new Created(widget, eventId);
    }
}
