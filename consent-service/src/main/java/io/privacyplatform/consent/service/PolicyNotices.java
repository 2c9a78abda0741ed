package io.privacyplatform.consent.service;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import org.jboss.logging.Logger;

import io.privacyplatform.consent.PolicyNoticeJob;
import io.privacyplatform.consent.PolicyVersion;
import io.privacyplatform.consent.config.ConsentConfig;
import io.privacyplatform.consent.repository.ConsentRecordRepository;
import io.privacyplatform.consent.repository.PolicyNoticeJobRepository;
import io.privacyplatform.consent.repository.PolicyVersionRepository;
import io.privacyplatform.events.SubjectPseudonym;
import io.privacyplatform.events.payload.Notification;
import io.privacyplatform.support.outbox.Outbox;
import io.quarkus.scheduler.Scheduled;

/**
 * Announces material policy versions to every subject of the tenant (Art. 13(3), 12 GDPR: a change is told to the
 * people before it applies, whatever the lawful basis of their processing). The PUT only saves the version and a
 * job; batches of {@code consent.policy-notices.batch-size} subjects follow, each one transaction writing its
 * notices to the outbox and moving the job's position, so every subject gets one notice and a tenant of a million
 * subjects never holds a request open.
 */
@ApplicationScoped
public class PolicyNotices {

    private static final Logger LOG = Logger.getLogger(PolicyNotices.class);

    @Inject
    PolicyNoticeJobRepository jobs;

    @Inject
    PolicyVersionRepository versions;

    @Inject
    ConsentRecordRepository records;

    @Inject
    Outbox outbox;

    @Inject
    SubjectPseudonym pseudonym;

    @Inject
    ConsentConfig config;

    @Inject
    Clock clock;

    /** Queues the announcement of {@code version}; sent by {@link #sendPending()} after the commit. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void schedule(PolicyVersion version) {
        PolicyNoticeJob job = new PolicyNoticeJob();
        job.policyVersionId = version.id;
        job.tenantId = version.tenantId;
        job.createdAt = clock.instant();
        jobs.persist(job);
    }

    @Scheduled(every = "${consent.policy-notices.interval:5s}", delayed = "1s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void sendPending() {
        while (sendBatch()) {
            // one transaction per batch, until no job has work left
        }
    }

    /** Sends the next batch of the oldest pending job. @return whether there was a batch to send */
    @Transactional
    boolean sendBatch() {
        PolicyNoticeJob job = jobs.lockNextPending().orElse(null);
        if (job == null) {
            return false;
        }
        PolicyVersion version = versions.findById(job.policyVersionId);
        int size = config.policyNotices().batchSize();
        List<String> subjects = records.subjectsAfter(job.tenantId, job.lastSubject, size);
        Instant now = clock.instant();
        for (String subject : subjects) {
            Notification notice = Notification.of(Notification.POLICY_CHANGE, version.tenantId, null, subject, null,
                    Map.of("policyVersion", version.version, "effectiveAt", version.effectiveAt.toString(),
                            "summary", version.summary == null ? "" : version.summary),
                    now);
            outbox.publish(notice.notificationId(), version.tenantId, pseudonym.of(version.tenantId, subject),
                    notice);
        }
        version.notices += subjects.size();
        if (!subjects.isEmpty()) {
            job.lastSubject = subjects.get(subjects.size() - 1);
        }
        if (subjects.size() < size) {
            job.completedAt = now;
            LOG.infof("policy version %s announced to %d subjects", version.version, version.notices);
            if (now.isAfter(version.effectiveAt)) {
                LOG.warnf("policy version %s took effect before every notice was sent", version.version);
            }
        }
        return true;
    }
}
