package io.privacyplatform.retention.rest;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.privacyplatform.retention.CommandState;
import io.privacyplatform.retention.PolicyRun;
import io.privacyplatform.retention.PurgeDecision;
import io.privacyplatform.retention.RetentionPolicy;
import io.privacyplatform.retention.RunTrigger;
import io.privacyplatform.retention.config.RetentionConfig;
import io.privacyplatform.retention.mapping.CommandMapper;
import io.privacyplatform.retention.mapping.CommandMapper.CommandView;
import io.privacyplatform.retention.service.PolicyDefinition;
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

    private static final Pattern DIGEST = Pattern.compile("[0-9a-f]{64}");

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

    /**
     * {@code definitionDigest}: the SHA-256 of the policy's definition, which an approval names. {@code decision}:
     * the platform admin's PURGE decision in force for this very definition, or null (the policy then purges
     * nothing).
     */
    public record PolicyView(String id, String category, String retain, String basis, String description,
            List<String> systems, String schedule, Instant createdAt, Instant updatedAt, String updatedBy,
            String definitionDigest, DecisionView decision) {

        static PolicyView of(RetentionPolicy p, Optional<PurgeDecision> decision) {
            return new PolicyView(p.id, p.category, p.retain, p.basis, p.description, List.of(p.systems),
                    Duration.ofSeconds(p.scheduleSeconds).toString(), p.createdAt, p.updatedAt, p.updatedBy,
                    PolicyDefinition.of(p).digest(), decision.map(DecisionView::of).orElse(null));
        }
    }

    /** {@code reason}: why the policy may delete by age in every account; {@code definitionDigest}: what is approved. */
    public record ApprovalInput(String reason, String definitionDigest) {
    }

    /** A recorded decision: who, when, why, and the exact definition (canonical JSON) it approved. */
    public record DecisionView(String decisionId, String policyId, String decidedBy, Instant decidedAt, String reason,
            String definitionDigest, String definition) {

        static DecisionView of(PurgeDecision d) {
            return new DecisionView(d.id.toString(), d.policyId, d.decidedBy, d.decidedAt, d.reason,
                    d.definitionDigest, d.definition);
        }
    }

    /**
     * {@code created} is false when this window had run already: nothing new was sent. {@code held}: the systems
     * whose PURGE was not sent because a legal hold covers the category. {@code decisionId}: the PURGE decision the
     * run carried out; a run without one sent nothing ({@code action_required}, {@code detail} says why).
     */
    public record RunView(String runId, String policyId, Instant windowStart, Instant cutoff, boolean perRecord,
            String state, String trigger, Instant createdAt, Instant completedAt, boolean created,
            List<CommandView> commands, List<String> held, String decisionId, String detail) {

        static RunView of(RunResult result) {
            PolicyRun r = result.run();
            return new RunView(r.id.toString(), r.policyId, r.windowStart, r.cutoff, r.perRecord, r.state.wire(),
                    r.trigger.wire(),
                    r.createdAt, r.completedAt, result.created(),
                    result.commands().stream().map(CommandMapper::view).toList(),
                    result.commands().stream().filter(c -> c.state == CommandState.HELD).map(c -> c.systemId)
                            .toList(),
                    r.decisionId == null ? null : r.decisionId.toString(), r.detail);
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
        return Response.status(created ? 201 : 200).entity(view(policies.get(policyId))).build();
    }

    @GET
    @RolesAllowed({ Roles.ADMIN, Roles.OPERATOR })
    @Operation(summary = "Every retention policy, ordered by id (a short list, returned whole)")
    public Page<PolicyView> list() {
        return new Page<>(policies.all().stream().map(this::view).toList(), null);
    }

    @GET
    @Path("/{policyId}")
    @RolesAllowed({ Roles.ADMIN, Roles.OPERATOR })
    @Operation(summary = "One retention policy")
    public PolicyView get(@PathParam("policyId") String policyId) {
        return view(policies.get(policyId));
    }

    @POST
    @Path("/{policyId}/approval")
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Record a platform admin's decision that the policy, exactly as defined now, may PURGE every"
            + " account: 201 with the decision; 409 policy_changed when definitionDigest is not the current one."
            + " Without a decision in force no run sends anything; changing the policy voids it")
    public Response approve(@PathParam("policyId") String policyId, @Valid @NotNull ApprovalInput input) {
        Inputs.requirePlatformAdmin(caller);
        Inputs.id("policyId", policyId, Inputs.SYSTEM_ID);
        String reason = Inputs.text("reason", input.reason(), 1000, true);
        String digest = Inputs.text("definitionDigest", input.definitionDigest(), 64, true);
        if (!DIGEST.matcher(digest).matches()) {
            throw ApiException.validation("definitionDigest", "must be the policy's definitionDigest (64 hex digits)");
        }
        PurgeDecision decision = policies.approve(policyId, digest, reason, caller.actor());
        return Response.status(201).entity(DecisionView.of(decision)).build();
    }

    private PolicyView view(RetentionPolicy policy) {
        return PolicyView.of(policy, policies.decisionFor(policy));
    }

    @POST
    @Path("/{policyId}/runs")
    @Consumes(MediaType.WILDCARD)
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Run a policy now: 201 with the run and its PURGE commands, or 200 with the run this"
            + " schedule window already had (created=false, nothing sent); 409 purge_decision_required without a"
            + " platform admin's decision for the policy's current definition")
    public Response run(@PathParam("policyId") String policyId) {
        Inputs.requirePlatformAdmin(caller);
        RunResult result = runner.run(policyId, RunTrigger.MANUAL);
        return Response.status(result.created() ? 201 : 200).entity(RunView.of(result)).build();
    }
}
