package io.privacyplatform.retention.service;

import java.time.Clock;
import java.time.Instant;
import java.util.List;

import io.privacyplatform.retention.DataSystem;
import io.privacyplatform.retention.repository.DataSystemRepository;
import io.privacyplatform.retention.repository.SubjectCommandRepository;
import io.privacyplatform.retention.repository.TenantSettingRepository;
import io.privacyplatform.support.error.ApiException;
import io.privacyplatform.support.error.ErrorResponse.FieldProblem;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

/**
 * The data map, with the residency rule: systems are platform-wide, so every system holds its categories for every
 * tenant, and tenants are in the EEA unless their settings say otherwise. A system outside the EEA that holds any
 * category therefore receives EEA personal data, and needs a recorded {@code transferSafeguard}; without one it is
 * refused (422 naming its categories).
 */
@ApplicationScoped
public class DataMap {

    @Inject
    DataSystemRepository systems;

    @Inject
    SubjectCommandRepository commands;

    @Inject
    TenantSettingRepository tenantSettings;

    @Inject
    Clock clock;

    /** The system's settings, in canonical form (validated by the resource). */
    public record SystemSpec(String description, String owner, String region, List<String> categories,
            List<String> capabilities, long ackTimeoutSeconds, String transferSafeguard, List<String> identifiers) {
    }

    /** Creates or replaces a system; returns whether it was created. */
    @Transactional
    public boolean put(String id, SystemSpec spec, String actor) {
        checkResidency(spec);
        Instant now = clock.instant();
        DataSystem system = systems.findById(id);
        boolean created = system == null;
        if (created) {
            system = new DataSystem();
            system.id = id;
            system.createdAt = now;
        }
        system.description = spec.description();
        system.owner = spec.owner();
        system.region = spec.region();
        system.categories = spec.categories().toArray(String[]::new);
        system.capabilities = spec.capabilities().toArray(String[]::new);
        system.ackTimeoutSeconds = spec.ackTimeoutSeconds();
        system.transferSafeguard = spec.transferSafeguard();
        system.identifiers = spec.identifiers().toArray(String[]::new);
        system.updatedAt = now;
        system.updatedBy = actor;
        if (created) {
            systems.persist(system);
        }
        return created;
    }

    static void checkResidency(SystemSpec spec) {
        if (DataSystem.EEA.equals(spec.region()) || spec.transferSafeguard() != null
                || spec.categories().isEmpty()) {
            return;
        }
        List<FieldProblem> problems = java.util.stream.IntStream.range(0, spec.categories().size())
                .mapToObj(i -> new FieldProblem("categories", "category '" + spec.categories().get(i)
                        + "' of EEA tenants may not be held in " + spec.region() + " without a transferSafeguard", i))
                .toList();
        throw ApiException.unprocessable("residency_violation", "categories " + spec.categories()
                + " would hold EEA personal data outside the EEA without a transfer safeguard", problems);
    }

    /** Every system, ordered by id. */
    public List<DataSystem> all() {
        return systems.all();
    }

    public DataSystem get(String id) {
        DataSystem system = systems.findById(id);
        if (system == null) {
            throw ApiException.notFound("system");
        }
        return system;
    }

    /** Systems outside the EEA that hold categories: the transfers of EEA personal data, ordered by id. */
    public List<DataSystem> transfersOutsideEea() {
        return systems.all().stream().filter(s -> !s.inEea() && s.categories.length > 0).toList();
    }

    /** Tenants whose settings put them outside the EEA, ordered by id. */
    public List<String> tenantsOutsideEea() {
        return tenantSettings.tenantsOutside(DataSystem.EEA);
    }

    @Transactional
    public void delete(String id) {
        DataSystem system = get(id);
        if (commands.anyOpenTo(id)) {
            throw ApiException.conflict("system_has_open_commands",
                    "system " + id + " has commands without a final answer; it stays on the data map until they end");
        }
        systems.delete(system);
    }
}
