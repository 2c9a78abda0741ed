package io.privacyplatform.request.listener;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import io.privacyplatform.events.payload.RequestProgress;
import io.privacyplatform.request.service.RequestLifecycle;
import io.privacyplatform.support.inbox.EventInbox;
import io.smallrye.reactive.messaging.annotations.Blocking;

/** retention-service's reports on privacy.request.progress.v1: per-system progress, completion, failure. */
@ApplicationScoped
public class RequestProgressListener {

    @Inject
    EventInbox inbox;

    @Inject
    RequestLifecycle lifecycle;

    @Incoming("progress-in")
    @Blocking
    public void receive(ConsumerRecord<String, byte[]> record) {
        inbox.receive(record, RequestProgress.class,
                (envelope, progress) -> lifecycle.onProgress(envelope.tenantId(), progress));
    }
}
