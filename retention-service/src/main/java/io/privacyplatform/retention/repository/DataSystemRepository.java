package io.privacyplatform.retention.repository;

import java.util.List;

import io.privacyplatform.retention.DataSystem;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;

/** The data map's systems. */
@ApplicationScoped
public class DataSystemRepository implements PanacheRepositoryBase<DataSystem, String> {

    public List<DataSystem> all() {
        return list("order by id");
    }

    /** Systems holding {@code category} that can take {@code capability}. */
    public List<DataSystem> holding(String category, String capability) {
        return all().stream().filter(s -> s.can(capability) && List.of(s.categories).contains(category)).toList();
    }
}
