package io.privacyplatform.support.testapp;

import java.util.Map;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;

import io.privacyplatform.support.auth.Caller;
import io.privacyplatform.support.auth.Roles;
import io.privacyplatform.support.error.ApiException;
import io.privacyplatform.support.idempotency.IdempotentRequests;

@Path("/widgets")
@RolesAllowed(Roles.APP)
public class WidgetResource {

    @Inject
    WidgetService service;

    @Inject
    Caller caller;

    @Inject
    IdempotentRequests idempotent;

    public record CreateWidget(@NotBlank @Size(max = 50) String name, @Size(max = 50) String owner) {
    }

    public record WidgetView(UUID id, String name, String eventId) {
    }

    @POST
    public Response create(@Valid CreateWidget body, @HeaderParam(IdempotentRequests.HEADER) String key) {
        if (body == null) {
            throw ApiException.validation("$", "a body is required");
        }
        String owner = body.owner() == null ? "default" : body.owner();
        String tenant = caller.tenantId();
        return idempotent.run(tenant, "POST /widgets", key, body, () -> {
            WidgetService.Created created = service.create(tenant, owner, body.name(), Map.of());
            return new IdempotentRequests.Result(201, new WidgetView(created.widget().id, created.widget().name,
                    created.eventId()));
        });
    }

    @GET
    @Path("/{id}")
    public WidgetView get(@PathParam("id") UUID id) {
        Widget widget = Widget.<Widget>find("id = ?1 and tenantId = ?2", id, caller.tenantId()).firstResultOptional()
                .orElseThrow(() -> ApiException.notFound("widget"));
        return new WidgetView(widget.id, widget.name, null);
    }
}
