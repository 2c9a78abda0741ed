package io.privacyplatform.consent.service;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import io.privacyplatform.consent.LawfulBasis;
import io.privacyplatform.consent.Purpose;
import io.privacyplatform.consent.PurposeCategory;
import io.privacyplatform.consent.repository.PurposeRepository;

/** The purposes of each tenant, created or changed by its admins. */
@ApplicationScoped
public class PurposeCatalog {

    @Inject
    PurposeRepository purposes;

    @Inject
    Clock clock;

    public record Saved(Purpose purpose, boolean created) {
    }

    /** Creates the purpose or replaces its attributes; decisions recorded before keep the category they had. */
    @Transactional
    public Saved put(String tenantId, String purposeId, String title, String description, PurposeCategory category,
            LawfulBasis defaultLawfulBasis) {
        Instant now = clock.instant();
        purposes.lockPurposeId(tenantId, purposeId);
        Purpose purpose = purposes.findByPurposeId(tenantId, purposeId).orElse(null);
        boolean created = purpose == null;
        if (created) {
            purpose = new Purpose();
            purpose.id = UUID.randomUUID();
            purpose.tenantId = tenantId;
            purpose.purposeId = purposeId;
            purpose.createdAt = now;
        }
        purpose.title = title;
        purpose.description = description;
        purpose.category = category;
        purpose.defaultLawfulBasis = defaultLawfulBasis;
        purpose.updatedAt = now;
        if (created) {
            purposes.persist(purpose);
        }
        return new Saved(purpose, created);
    }

    @Transactional
    public List<Purpose> list(String tenantId) {
        return purposes.ofTenant(tenantId);
    }

    @Transactional
    public Optional<Purpose> find(String tenantId, String purposeId) {
        return purposes.findByPurposeId(tenantId, purposeId);
    }
}
