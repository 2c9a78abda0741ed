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
 * The data map, with the residency rule: EEA users' data is stored only in the EEA. Systems are platform-wide, so
 * every system holds its categories for every tenant, and tenants are in the EEA unless their settings say otherwise
 * (so there is always an EEA tenant: any account without settings is one). A system outside the EEA therefore
 * cannot take any category, whatever {@code transferSafeguard} it gives (422 {@code residency_violation} naming the
 * system and each category). The safeguard is still recorded: it documents legacy transfers on the report.
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

    /**
     * The system's settings, in canonical form (validated by the resource). {@code ackPublicKey} null keeps the key
     * the system has (an admin changing categories does not unset the store's key).
     */
    public record SystemSpec(String description, String owner, String region, List<String> categories,
            List<String> capabilities, long ackTimeoutSeconds, String transferSafeguard, List<String> identifiers,
            String ackPublicKey) {
    }

    /**
     * Creates or replaces a system; returns whether it was created.
     *
     * @param storePrincipal the name of the store token that puts the system, recorded as its principal; null when an
     *        admin puts it (the principal then stays as it was)
     */
    @Transactional
    public boolean put(String id, SystemSpec spec, String actor, String storePrincipal) {
        checkResidency(id, spec);
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
        if (spec.ackPublicKey() != null) {
            system.ackPublicKey = spec.ackPublicKey();
        }
        if (storePrincipal != null) {
            system.principal = storePrincipal;
        }
        system.updatedAt = now;
        system.updatedBy = actor;
        if (created) {
            systems.persist(system);
        }
        return created;
    }

    static void checkResidency(String id, SystemSpec spec) {
        if (DataSystem.EEA.equals(spec.region()) || spec.categories().isEmpty()) {
            return;
        }
        // A safeguard makes a transfer lawful under Chapter V, but the platform promises EEA tenants storage in the
        // EEA: a safeguard text does not change where the data would be.
        List<FieldProblem> problems = java.util.stream.IntStream.range(0, spec.categories().size())
                .mapToObj(i -> new FieldProblem("categories", "system " + id + " in " + spec.region()
                        + " may not hold category '" + spec.categories().get(i)
                        + "': EEA tenants' data is stored only in the EEA, whatever the transfer safeguard", i))
                .toList();
        throw ApiException.unprocessable("residency_violation", "system " + id + " is in " + spec.region()
                + ": it may not hold categories " + spec.categories() + " of EEA tenants", problems);
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

    /** The tenant itself if its settings put it outside the EEA, else nothing: one tenant's view of the report. */
    public List<String> tenantsOutsideEea(String tenantId) {
        return tenantsOutsideEea().stream().filter(tenantId::equals).toList();
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
