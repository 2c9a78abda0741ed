package io.privacyplatform.request.service;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import io.privacyplatform.request.RequestStatus;
import io.privacyplatform.request.RequestType;
import io.privacyplatform.request.RightsRequest;
import io.privacyplatform.request.repository.RightsRequestRepository;
import io.privacyplatform.request.repository.RightsRequestRepository.Filter;
import io.privacyplatform.support.rest.PageCursor;

/**
 * What the API and the dashboard read about a tenant's requests. Changes go through {@link RequestLifecycle};
 * reads that need "now" (overdue, urgency) take it from the service clock, not the caller.
 */
@ApplicationScoped
@Transactional
public class RequestQueries {

    @Inject
    RightsRequestRepository requests;

    @Inject
    Clock clock;

    /** The request, or 404 {@code not_found} when the tenant has none with that id. */
    public RightsRequest get(String tenantId, UUID id) {
        return requests.getForTenant(tenantId, id);
    }

    public Optional<RightsRequest> find(String tenantId, UUID id) {
        return requests.findForTenant(tenantId, id);
    }

    /** Newest first, after {@code cursor}; one row more than {@code limit} when there is a next page. */
    public List<RightsRequest> page(String tenantId, Filter filter, PageCursor cursor, int limit) {
        return requests.page(tenantId, filter, cursor, limit, clock.instant());
    }

    /** The operators' queue: the most urgent first, as of {@code now} (the dashboard shows urgency as of it too). */
    public List<RightsRequest> byUrgency(String tenantId, Filter filter, int limit, Instant now) {
        return requests.byUrgency(tenantId, filter, limit, now);
    }

    public Map<RequestStatus, Long> countByStatus(String tenantId) {
        return requests.countByStatus(tenantId);
    }

    public Map<RequestType, Long> countOpenByType(String tenantId) {
        return requests.countOpenByType(tenantId);
    }
}
