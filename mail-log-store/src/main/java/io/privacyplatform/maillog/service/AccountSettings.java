package io.privacyplatform.maillog.service;

import io.privacyplatform.events.payload.TenantSettings;
import io.privacyplatform.maillog.repository.TenantSettingRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

/** The accounts' settings from the compacted tenant-settings topic: a trusted account's mail is never sampled. */
@ApplicationScoped
public class AccountSettings {

    @Inject
    TenantSettingRepository settings;

    @Transactional(Transactional.TxType.MANDATORY)
    public void apply(TenantSettings published) {
        settings.saveUnlessOlder(published);
    }
}
