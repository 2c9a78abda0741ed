package io.privacyplatform.consent.repository;

import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

import org.hibernate.LockOptions;

import io.privacyplatform.consent.PolicyNoticeJob;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;

/** Pending and finished announcements of material policy versions. */
@ApplicationScoped
public class PolicyNoticeJobRepository implements PanacheRepositoryBase<PolicyNoticeJob, UUID> {

    /**
     * The oldest unfinished job no other instance is working on, locked until the transaction ends (SKIP LOCKED:
     * two instances share the jobs instead of sending one batch twice).
     */
    public Optional<PolicyNoticeJob> lockNextPending() {
        return find("completedAt is null order by createdAt").withLock(LockModeType.PESSIMISTIC_WRITE)
                .withHint("jakarta.persistence.lock.timeout", LockOptions.SKIP_LOCKED).firstResultOptional();
    }
}
