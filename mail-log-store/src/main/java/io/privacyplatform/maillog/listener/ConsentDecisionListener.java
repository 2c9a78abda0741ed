package io.privacyplatform.maillog.listener;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import io.privacyplatform.maillog.config.MailLogConfig;
import io.privacyplatform.maillog.service.MarketingSuppressions;
import io.privacyplatform.support.consent.ConsentSubscriberInbox;
import io.smallrye.reactive.messaging.annotations.Blocking;

/**
 * This store as a consent subscriber (it stands for the mailer): every decision on
 * {@code privacy.consent.changed.v1} is applied to the do-not-send list and acknowledged on
 * {@code privacy.consent.applied.v1} in one transaction (the kit's transactional mode).
 */
@ApplicationScoped
public class ConsentDecisionListener {

    @Inject
    ConsentSubscriberInbox inbox;

    @Inject
    MarketingSuppressions suppressions;

    @Inject
    MailLogConfig config;

    @Incoming("consents")
    @Blocking
    public void receive(ConsumerRecord<String, byte[]> record) {
        inbox.receive(record, config.systemName(), suppressions);
    }
}
