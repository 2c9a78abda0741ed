package io.privacyplatform.consent.repository;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.privacyplatform.consent.ConsentSubscriber;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;

/** The registered consent subscribers, by system name. */
@ApplicationScoped
public class ConsentSubscriberRepository implements PanacheRepositoryBase<ConsentSubscriber, String> {

    public List<ConsentSubscriber> allById() {
        return list("order by id");
    }
}
