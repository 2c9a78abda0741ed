package io.privacyplatform.maillog.listener;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import io.privacyplatform.events.payload.TenantSettings;
import io.privacyplatform.support.inbox.EventInbox;
import io.smallrye.reactive.messaging.annotations.Blocking;

/** Keeps the accounts' settings (trusted → no sampling) from the compacted tenant-settings topic. */
@ApplicationScoped
public class TenantSettingsListener {

    @Inject
    EventInbox inbox;

    @Inject
    EntityManager entityManager;

    @Incoming("tenant-settings")
    @Blocking
    public void receive(ConsumerRecord<String, byte[]> record) {
        if (record.value() == null) {
            return; // a tombstone: the settings of a removed tenant; its data goes with the tenant
        }
        inbox.receive(record, TenantSettings.class, (envelope, settings) -> entityManager
                .createNativeQuery("""
                        INSERT INTO tenant_setting (tenant_id, trusted, region, updated_at) VALUES (?1, ?2, ?3, ?4)
                        ON CONFLICT (tenant_id) DO UPDATE SET trusted = excluded.trusted, region = excluded.region,
                            updated_at = excluded.updated_at
                        WHERE tenant_setting.updated_at <= excluded.updated_at""")
                .setParameter(1, settings.tenantId()).setParameter(2, settings.trusted())
                .setParameter(3, settings.region()).setParameter(4, java.sql.Timestamp.from(settings.updatedAt()))
                .executeUpdate());
    }
}
