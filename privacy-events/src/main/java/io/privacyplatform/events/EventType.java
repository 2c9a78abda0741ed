package io.privacyplatform.events;

import java.util.Arrays;

import io.privacyplatform.events.payload.AuditAnchor;
import io.privacyplatform.events.payload.CommandAck;
import io.privacyplatform.events.payload.ConsentApplied;
import io.privacyplatform.events.payload.ConsentChanged;
import io.privacyplatform.events.payload.Notification;
import io.privacyplatform.events.payload.PrivacyCommand;
import io.privacyplatform.events.payload.RequestProgress;
import io.privacyplatform.events.payload.RightsRequestChanged;
import io.privacyplatform.events.payload.TenantSettings;

/** The {@code ce_type} of every event, the topic it travels on and the record its data decodes to. */
public enum EventType {

    CONSENT_CHANGED("io.privacyplatform.consent.changed.v1", Topics.CONSENT_CHANGED, ConsentChanged.class),
    RIGHTS_REQUEST_CHANGED("io.privacyplatform.rights-request.changed.v1", Topics.RIGHTS_REQUEST,
            RightsRequestChanged.class),
    COMMAND("io.privacyplatform.command.v1", Topics.COMMAND, PrivacyCommand.class),
    COMMAND_ACK("io.privacyplatform.command.ack.v1", Topics.COMMAND_ACK, CommandAck.class),
    REQUEST_PROGRESS("io.privacyplatform.request.progress.v1", Topics.REQUEST_PROGRESS, RequestProgress.class),
    NOTIFICATION("io.privacyplatform.notification.v1", Topics.NOTIFICATION, Notification.class),
    TENANT_SETTINGS("io.privacyplatform.tenant.settings.v1", Topics.TENANT_SETTINGS, TenantSettings.class),
    AUDIT_ANCHOR("io.privacyplatform.audit-anchor.v1", Topics.AUDIT_ANCHOR, AuditAnchor.class),
    CONSENT_APPLIED("io.privacyplatform.consent.applied.v1", Topics.CONSENT_APPLIED, ConsentApplied.class);

    private final String type;
    private final String topic;
    private final Class<?> payloadType;

    EventType(String type, String topic, Class<?> payloadType) {
        this.type = type;
        this.topic = topic;
        this.payloadType = payloadType;
    }

    public String type() {
        return type;
    }

    public String topic() {
        return topic;
    }

    public Class<?> payloadType() {
        return payloadType;
    }

    public static EventType fromType(String type) {
        return Arrays.stream(values()).filter(t -> t.type.equals(type)).findFirst()
                .orElseThrow(() -> new InvalidEventException("unknown ce_type '" + type + "'"));
    }

    public static EventType ofPayload(Class<?> payloadType) {
        return Arrays.stream(values()).filter(t -> t.payloadType.equals(payloadType)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException(payloadType.getName() + " is not an event payload"));
    }
}
