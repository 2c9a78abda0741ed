package io.privacyplatform.maillog.listener;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import io.privacyplatform.events.payload.TenantSettings;
import io.privacyplatform.maillog.service.AccountSettings;
import io.privacyplatform.support.inbox.EventInbox;
import io.smallrye.reactive.messaging.annotations.Blocking;

/** Keeps the accounts' settings (trusted → no sampling) from the compacted tenant-settings topic. */
@ApplicationScoped
public class TenantSettingsListener {

    @Inject
    EventInbox inbox;

    @Inject
    AccountSettings accounts;

    @Incoming("tenant-settings")
    @Blocking
    public void receive(ConsumerRecord<String, byte[]> record) {
        if (record.value() == null) {
            return; // a tombstone: the settings of a removed tenant; its data goes with the tenant
        }
        inbox.receive(record, TenantSettings.class, (envelope, settings) -> accounts.apply(settings));
    }
}
