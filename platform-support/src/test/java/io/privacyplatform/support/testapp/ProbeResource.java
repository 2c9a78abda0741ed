package io.privacyplatform.support.testapp;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import io.privacyplatform.support.auth.Caller;
import io.privacyplatform.support.auth.Roles;
import io.privacyplatform.support.time.AcceptedInstants;

/** Echoes what the shared input handling lets through, and writes to the database without any check of its own. */
@Path("/probes")
@RolesAllowed(Roles.APP)
@Produces(MediaType.APPLICATION_JSON)
public class ProbeResource {

    @Inject
    EntityManager entityManager;

    @Inject
    Caller caller;

    public record ProbeInput(String text, Instant at, Boolean flag, Integer count, Map<String, String> tags,
            List<String> names) {
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public ProbeInput echo(ProbeInput input) {
        return input;
    }

    @GET
    @Path("/at")
    public Map<String, String> at(@QueryParam("at") String at) {
        return Map.of("at", String.valueOf(AcceptedInstants.query("at", at)));
    }

    @GET
    @Path("/{id}")
    public Map<String, String> path(@PathParam("id") String id) {
        return Map.of("id", id);
    }

    /** Stores the name unchecked: what the database refuses must still come back as a 4xx. */
    @PUT
    @Path("/widgets/{id}")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Transactional
    public Map<String, String> storeUnchecked(@PathParam("id") UUID id, @FormParam("name") String name) {
        entityManager.createNativeQuery("INSERT INTO widget (id, tenant_id, name, created_at) VALUES (?1, ?2, ?3,"
                + " now())").setParameter(1, id).setParameter(2, caller.tenantId()).setParameter(3, name)
                .executeUpdate();
        return Map.of("id", id.toString());
    }
}
