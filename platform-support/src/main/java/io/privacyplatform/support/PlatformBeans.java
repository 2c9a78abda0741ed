package io.privacyplatform.support;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.privacyplatform.events.EventCodec;
import io.privacyplatform.events.SubjectPseudonym;

/** The event codec and the subject pseudonym, one of each per service. */
public class PlatformBeans {

    @Produces
    @Singleton
    EventCodec eventCodec() {
        return new EventCodec();
    }

    @Produces
    @Singleton
    SubjectPseudonym subjectPseudonym(@ConfigProperty(name = "privacy.pseudonym.secret") String secret) {
        return SubjectPseudonym.fromSecret(secret);
    }
}
