package io.privacyplatform.consent.rest;

import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.privacyplatform.consent.mapping.OverdueWithdrawalView;
import io.privacyplatform.consent.service.ConsentPropagation;
import io.privacyplatform.support.auth.Caller;
import io.privacyplatform.support.auth.Roles;
import io.privacyplatform.support.rest.PageCursor;

@Path("/v1/consent-propagation")
@Tag(name = "Consent propagation", description = "Withdrawals the consent subscribers have not applied in time"
        + " (roles operator, admin)")
@Produces(MediaType.APPLICATION_JSON)
public class ConsentPropagationResource {

    @Inject
    ConsentPropagation propagation;

    @Inject
    Caller caller;

    /** {@code withdrawalDeadline}: how long a subscriber has to apply a withdrawal (ISO-8601 duration). */
    public record OverdueList(List<OverdueWithdrawalView> items, String withdrawalDeadline) {
    }

    @GET
    @Path("/overdue")
    @RolesAllowed({ Roles.OPERATOR, Roles.ADMIN })
    @Operation(summary = "Overdue withdrawals: one item per withdrawal and registered subscriber that has not applied"
            + " it by dueBy, oldest first",
            description = "The caller's tenant; a caller of the platform tenant sees every tenant's. At most limit"
                    + " items (the platform's page limits).")
    public OverdueList overdue(@QueryParam("limit") Integer limit) {
        String tenant = caller.isPlatform() ? null : caller.tenantId();
        return new OverdueList(propagation.overdue(tenant, PageCursor.limit(limit)),
                propagation.deadline().toString());
    }
}
