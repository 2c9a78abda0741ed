package io.privacyplatform.request.repository;

import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;

import io.privacyplatform.request.DashboardSession;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;

/** The dashboard's server-side sessions, by the hash of their id. */
@ApplicationScoped
public class DashboardSessionRepository implements PanacheRepositoryBase<DashboardSession, String> {

    /** Deletes the session with this id hash; answers whether there was one. */
    public boolean deleteByIdHash(String idHash) {
        return delete("idHash", idHash) > 0;
    }

    /** Deletes the sessions past their absolute end or unused since {@code idleSince}; answers how many. */
    public long deleteEnded(Instant now, Instant idleSince) {
        return delete("expiresAt <= ?1 or lastSeenAt <= ?2", now, idleSince);
    }
}
