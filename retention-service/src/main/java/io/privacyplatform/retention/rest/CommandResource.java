package io.privacyplatform.retention.rest;

import java.util.List;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.privacyplatform.retention.RightsRequest;
import io.privacyplatform.retention.mapping.CommandMapper;
import io.privacyplatform.retention.mapping.CommandMapper.CommandView;
import io.privacyplatform.retention.service.CommandTracker;
import io.privacyplatform.retention.service.CommandTracker.RequestWithCommands;
import io.privacyplatform.support.auth.Caller;
import io.privacyplatform.support.auth.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

@Path("/v1")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Commands", description = "Each system's command for a rights request")
public class CommandResource {

    @Inject
    Caller caller;

    @Inject
    CommandTracker tracker;

    /** The request's state and its commands, one per system. */
    public record RequestCommands(String requestId, String type, String state, List<CommandView> commands) {
    }

    @GET
    @Path("/requests/{requestId}/commands")
    @RolesAllowed({ Roles.OPERATOR, Roles.ADMIN })
    @Operation(summary = "Each system's command for a request: attempts, outcome, records, digest")
    public RequestCommands commands(@PathParam("requestId") String requestId) {
        RequestWithCommands found = tracker.requestCommands(caller.tenantId(), requestId);
        RightsRequest request = found.request();
        return new RequestCommands(request.requestId, request.type, request.state.wire(),
                found.commands().stream().map(CommandMapper::view).toList());
    }

    @POST
    @Path("/commands/{commandId}/redrive")
    @RolesAllowed({ Roles.OPERATOR, Roles.ADMIN })
    @Operation(summary = "Re-send a stuck or failed command with the same id; 409 for any other state")
    public CommandView redrive(@PathParam("commandId") String commandId) {
        return CommandMapper.view(tracker.redrive(caller.tenantId(), commandId));
    }
}
