package io.privacyplatform.support;

import java.time.Clock;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.privacyplatform.events.EventCodec;
import io.privacyplatform.events.SubjectPseudonym;
import io.privacyplatform.support.keys.SubjectKeyStore;

/**
 * The event codec and the subject pseudonym, one of each per service. The codec seals personal fields with the
 * platform's key store (and opens them): the outbox writes and the inbox reads through it, so no producer or consumer
 * does anything of its own for it.
 */
public class PlatformBeans {

    @Produces
    @Singleton
    EventCodec eventCodec(SubjectKeyStore keyStore) {
        return new EventCodec(Clock.systemUTC(), keyStore.keys().orElse(null));
    }

    @Produces
    @Singleton
    SubjectPseudonym subjectPseudonym(@ConfigProperty(name = "privacy.pseudonym.secret") String secret) {
        return SubjectPseudonym.fromSecret(secret);
    }
}
