package io.privacyplatform.request.repository;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

import io.privacyplatform.request.OpenDsrCallback;
import io.privacyplatform.request.OpenDsrCallbackState;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Parameters;

@ApplicationScoped
public class OpenDsrCallbackRepository implements PanacheRepositoryBase<OpenDsrCallback, UUID> {

    /** Hibernate's lock timeout that means SKIP LOCKED: rows another instance is claiming are left to it. */
    private static final int SKIP_LOCKED = -2;

    /**
     * Pending callbacks due by {@code now}, locked (skipping those another instance holds), oldest first; a callback
     * waits while an older one for the same request and URL is pending, so a controller hears the statuses in order.
     */
    public List<OpenDsrCallback> lockDue(Instant now, int limit) {
        return find("""
                from OpenDsrCallback c where c.state = :pending and c.nextAttemptAt <= :now
                and not exists (select 1 from OpenDsrCallback older where older.openDsrRequestId = c.openDsrRequestId
                    and older.url = c.url and older.state = :pending and older.seq < c.seq)
                order by c.nextAttemptAt, c.seq""",
                Parameters.with("pending", OpenDsrCallbackState.PENDING).and("now", now))
                .withLock(LockModeType.PESSIMISTIC_WRITE).withHint("jakarta.persistence.lock.timeout", SKIP_LOCKED)
                .page(0, limit).list();
    }

    public List<OpenDsrCallback> ofRequest(UUID openDsrRequestId) {
        return list("openDsrRequestId = ?1 order by seq", openDsrRequestId);
    }
}
