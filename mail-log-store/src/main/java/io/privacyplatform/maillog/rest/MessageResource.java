package io.privacyplatform.maillog.rest;

import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.privacyplatform.maillog.service.MailLog;
import io.privacyplatform.support.auth.Caller;
import io.privacyplatform.support.auth.Roles;
import io.privacyplatform.support.error.ApiException;
import io.privacyplatform.support.rest.Page;
import io.privacyplatform.support.time.AcceptedInstants;

@Path("/v1/messages")
@Tag(name = "Messages", description = "The log of sent e-mails: headers for 35 days, 1 in 100 bodies for abuse review")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class MessageResource {

    public static final int MAX_BATCH = 1000;

    @Inject
    MailLog mailLog;

    @Inject
    Caller caller;

    public record Batch(@NotNull @NotEmpty @Size(max = MAX_BATCH) List<@NotNull @Valid MessageInput> messages) {
    }

    public record Stored(int messages, int bodiesStored) {
    }

    @POST
    @RolesAllowed(Roles.APP)
    @Operation(summary = "Log one sent message (its body is kept only if sampled and the account is not trusted)")
    public Response store(@Valid MessageInput message) {
        if (message == null) {
            throw ApiException.validation("$", "a message is required");
        }
        MailLog.Stored stored = mailLog.store(caller.tenantId(), List.of(message), false);
        return Response.status(201).entity(new Stored(stored.messages(), stored.bodies())).build();
    }

    @POST
    @Path("/batch")
    @RolesAllowed(Roles.APP)
    @Operation(summary = "Log up to 1,000 sent messages, all or none")
    public Response storeBatch(@Valid Batch batch) {
        if (batch == null) {
            throw ApiException.validation("messages", "must not be empty");
        }
        MailLog.Stored stored = mailLog.store(caller.tenantId(), batch.messages(), true);
        return Response.status(201).entity(new Stored(stored.messages(), stored.bodies())).build();
    }

    @GET
    @RolesAllowed({ Roles.APP, Roles.OPERATOR })
    @Operation(summary = "The account's header logs of the last 35 days, newest first")
    public Page<MessageView> list(@QueryParam("recipient") @Size(max = 320) String recipient,
            @QueryParam("from") @Size(max = 320) String from, @QueryParam("since") String since,
            @QueryParam("limit") Integer limit, @QueryParam("cursor") String cursor) {
        Page<io.privacyplatform.maillog.MailMessage> page = mailLog.list(caller.tenantId(), recipient, from,
                AcceptedInstants.query("since", since), limit, cursor);
        return new Page<>(page.items().stream().map(MessageView::of).toList(), page.nextCursor());
    }
}
