package io.privacyplatform.retention.rest;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.privacyplatform.retention.CommandState;
import io.privacyplatform.retention.PolicyRun;
import io.privacyplatform.retention.RetentionPolicy;
import io.privacyplatform.retention.RunTrigger;
import io.privacyplatform.retention.config.RetentionConfig;
import io.privacyplatform.retention.mapping.CommandMapper;
import io.privacyplatform.retention.mapping.CommandMapper.CommandView;
import io.privacyplatform.retention.service.PolicyRunner;
import io.privacyplatform.retention.service.PolicyRunner.RunResult;
import io.privacyplatform.retention.service.RetentionPolicies;
import io.privacyplatform.retention.service.RetentionPolicies.PolicySpec;
import io.privacyplatform.support.auth.Caller;
import io.privacyplatform.support.auth.Roles;
import io.privacyplatform.support.error.ApiException;
import io.privacyplatform.support.rest.Page;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

@Path("/v1/policies")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Retention policies", description = "How long each category is kept (platform configuration)")
public class PolicyResource {

    @Inject
    Caller caller;

    @Inject
    RetentionPolicies policies;

    @Inject
    PolicyRunner runner;

    @Inject
    RetentionConfig config;

    /** {@code schedule}: the run period, an ISO-8601 duration (default {@code retention.policies.default-schedule}). */
    public record PolicyInput(String category, String retain, String basis, String description, List<String> systems,
            String schedule) {
    }

    public record PolicyView(String id, String category, String retain, String basis, String description,
            List<String> systems, String schedule, Instant createdAt, Instant updatedAt, String updatedBy) {

        static PolicyView of(RetentionPolicy p) {
            return new PolicyView(p.id, p.category, p.retain, p.basis, p.description, List.of(p.systems),
                    Duration.ofSeconds(p.scheduleSeconds).toString(), p.createdAt, p.updatedAt, p.updatedBy);
        }
    }

    /**
     * {@code created} is false when this window had run already: nothing new was sent. {@code held}: the systems
     * whose PURGE was not sent because a legal hold covers the category.
     */
    public record RunView(String runId, String policyId, Instant windowStart, Instant cutoff, boolean perRecord,
            String state, String trigger, Instant createdAt, Instant completedAt, boolean created,
            List<CommandView> commands, List<String> held) {

        static RunView of(RunResult result) {
            PolicyRun r = result.run();
            return new RunView(r.id.toString(), r.policyId, r.windowStart, r.cutoff, r.perRecord, r.state.wire(),
                    r.trigger.wire(),
                    r.createdAt, r.completedAt, result.created(),
                    result.commands().stream().map(CommandMapper::view).toList(),
                    result.commands().stream().filter(c -> c.state == CommandState.HELD).map(c -> c.systemId)
                            .toList());
        }
    }

    @PUT
    @Path("/{policyId}")
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Create or change a retention policy (platform admins)")
    public Response put(@PathParam("policyId") String policyId, @Valid @NotNull PolicyInput input) {
        Inputs.requirePlatformAdmin(caller);
        Inputs.id("policyId", policyId, Inputs.SYSTEM_ID);
        String category = Inputs.categories("category", input.category() == null ? null : List.of(input.category()),
                true).get(0);
        List<String> systems = input.systems() == null ? List.of() : input.systems();
        if (systems.size() > Inputs.MAX_CATEGORIES) {
            throw ApiException.validation("systems", "must have at most " + Inputs.MAX_CATEGORIES + " entries");
        }
        systems.forEach(s -> Inputs.id("systems", s, Inputs.SYSTEM_ID));
        long schedule = input.schedule() == null ? config.policies().defaultSchedule().toSeconds()
                : Inputs.duration("schedule", input.schedule(), Inputs.MIN_SCHEDULE, Inputs.MAX_SCHEDULE).toSeconds();
        PolicySpec spec = new PolicySpec(category, Inputs.retain(input.retain()),
                Inputs.text("basis", input.basis(), 500, true), Inputs.text("description", input.description(), 1000,
                        false),
                systems.stream().distinct().toList(), schedule);
        boolean created = policies.put(policyId, spec, caller.actor());
        return Response.status(created ? 201 : 200).entity(PolicyView.of(policies.get(policyId)))
                .build();
    }

    @GET
    @RolesAllowed({ Roles.ADMIN, Roles.OPERATOR })
    @Operation(summary = "Every retention policy, ordered by id (a short list, returned whole)")
    public Page<PolicyView> list() {
        return new Page<>(policies.all().stream().map(PolicyView::of).toList(), null);
    }

    @GET
    @Path("/{policyId}")
    @RolesAllowed({ Roles.ADMIN, Roles.OPERATOR })
    @Operation(summary = "One retention policy")
    public PolicyView get(@PathParam("policyId") String policyId) {
        return PolicyView.of(policies.get(policyId));
    }

    @POST
    @Path("/{policyId}/runs")
    @Consumes(MediaType.WILDCARD)
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Run a policy now: 201 with the run and its PURGE commands, or 200 with the run this"
            + " schedule window already had (created=false, nothing sent)")
    public Response run(@PathParam("policyId") String policyId) {
        Inputs.requirePlatformAdmin(caller);
        RunResult result = runner.run(policyId, RunTrigger.MANUAL);
        return Response.status(result.created() ? 201 : 200).entity(RunView.of(result)).build();
    }
}
