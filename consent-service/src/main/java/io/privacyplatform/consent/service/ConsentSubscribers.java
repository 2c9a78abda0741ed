package io.privacyplatform.consent.service;

import java.time.Clock;
import java.time.Instant;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import org.jboss.logging.Logger;

import io.privacyplatform.consent.ConsentSubscriber;
import io.privacyplatform.consent.repository.ConsentSubscriberRepository;
import io.privacyplatform.support.error.ApiException;

/**
 * The registry of consent subscribers: the internal systems expected to apply every consent decision and to
 * acknowledge each, signed with the key registered here.
 */
@ApplicationScoped
public class ConsentSubscribers {

    private static final Logger LOG = Logger.getLogger(ConsentSubscribers.class);

    @Inject
    ConsentSubscriberRepository subscribers;

    @Inject
    Clock clock;

    /** What an admin registers; checked by the resource. */
    public record Registration(String description, String owner, String publicKey) {
    }

    /**
     * Registers the system, or changes its description, owner or key (a rotated key: acknowledgements signed with the
     * old one are rejected from now on). Its registration time stays the first one.
     *
     * @return whether it was registered now (not changed)
     */
    @Transactional
    public boolean put(String id, Registration registration, String actor) {
        Instant now = clock.instant();
        ConsentSubscriber subscriber = subscribers.findById(id);
        boolean created = subscriber == null;
        if (created) {
            subscriber = new ConsentSubscriber();
            subscriber.id = id;
            subscriber.registeredAt = now;
        }
        subscriber.description = registration.description();
        subscriber.owner = registration.owner();
        subscriber.publicKey = registration.publicKey();
        subscriber.updatedAt = now;
        subscriber.updatedBy = actor;
        if (created) {
            subscribers.persist(subscriber);
        }
        LOG.infof("consent subscriber %s %s by %s", id, created ? "registered" : "changed", actor);
        return created;
    }

    public ConsentSubscriber get(String id) {
        ConsentSubscriber subscriber = subscribers.findById(id);
        if (subscriber == null) {
            throw ApiException.notFound("consent subscriber");
        }
        return subscriber;
    }

    public List<ConsentSubscriber> all() {
        return subscribers.allById();
    }

    /** Removes the system: it is expected to apply no decision any more; what it applied stays on record. */
    @Transactional
    public void delete(String id) {
        if (!subscribers.deleteById(id)) {
            throw ApiException.notFound("consent subscriber");
        }
        LOG.infof("consent subscriber %s removed", id);
    }
}
