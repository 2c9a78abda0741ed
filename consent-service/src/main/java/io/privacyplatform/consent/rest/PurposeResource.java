package io.privacyplatform.consent.rest;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.privacyplatform.consent.LawfulBasis;
import io.privacyplatform.consent.Purpose;
import io.privacyplatform.consent.PurposeCategory;
import io.privacyplatform.support.mapping.WireValue;
import io.privacyplatform.consent.service.PurposeCatalog;
import io.privacyplatform.support.auth.Caller;
import io.privacyplatform.support.auth.Roles;
import io.privacyplatform.support.error.ApiException;
import io.privacyplatform.support.error.ErrorResponse.FieldProblem;

@Path("/v1/purposes")
@Tag(name = "Purposes", description = "The tenant's processing purposes (change: admin; read: admin, app, operator)")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class PurposeResource {

    /** Purpose ids appear in URLs and events: short, lower-case, no spaces. */
    static final String ID_PATTERN = "[a-z0-9][a-z0-9_.-]{0,99}";

    @Inject
    PurposeCatalog catalog;

    @Inject
    Caller caller;

    public record PurposeInput(
            @NotBlank @Size(max = 200) String title,
            @Size(max = 2000) String description,
            @NotBlank @Schema(required = true, enumeration = { "marketing_email", "analytics", "advertising",
                    "social", "survey", "live_chat", "service", "other" }) String category,
            @NotBlank @Schema(required = true, enumeration = { "consent", "contract", "legitimate_interest",
                    "legal_obligation", "vital_interests", "public_task" }) String defaultLawfulBasis) {
    }

    public record PurposeView(String purposeId, String title, String description, String category,
            String defaultLawfulBasis, Instant createdAt, Instant updatedAt) {

        static PurposeView of(Purpose purpose) {
            return new PurposeView(purpose.purposeId, purpose.title, purpose.description, purpose.category.wire(),
                    purpose.defaultLawfulBasis.wire(), purpose.createdAt, purpose.updatedAt);
        }
    }

    public record PurposeList(List<PurposeView> items) {
    }

    @PUT
    @Path("/{purposeId}")
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Create or replace a purpose")
    @APIResponse(responseCode = "201", description = "created")
    @APIResponse(responseCode = "200", description = "replaced")
    public Response put(@PathParam("purposeId") String purposeId, @Valid PurposeInput body) {
        if (body == null) {
            throw ApiException.validation("$", "a body is required");
        }
        List<FieldProblem> problems = new ArrayList<>();
        if (!purposeId.matches(ID_PATTERN)) {
            problems.add(new FieldProblem("purposeId",
                    "must be 1 to 100 characters of a-z, 0-9, '_', '.', '-', starting with a letter or digit"));
        }
        Optional<PurposeCategory> category = WireValue.parse(PurposeCategory.class, body.category());
        if (category.isEmpty()) {
            problems.add(new FieldProblem("category", WireValue.mustBeOneOf(PurposeCategory.class)));
        }
        Optional<LawfulBasis> defaultLawfulBasis = WireValue.parse(LawfulBasis.class, body.defaultLawfulBasis());
        if (defaultLawfulBasis.isEmpty()) {
            problems.add(new FieldProblem("defaultLawfulBasis", WireValue.mustBeOneOf(LawfulBasis.class)));
        }
        if (!problems.isEmpty()) {
            throw ApiException.validation(problems);
        }
        PurposeCatalog.Saved saved = catalog.put(caller.tenantId(), purposeId, body.title(), body.description(),
                category.get(), defaultLawfulBasis.get());
        return Response.status(saved.created() ? 201 : 200).entity(PurposeView.of(saved.purpose())).build();
    }

    @GET
    @RolesAllowed({ Roles.ADMIN, Roles.APP, Roles.OPERATOR })
    @Operation(summary = "Every purpose of the tenant, by id")
    public PurposeList list() {
        return new PurposeList(catalog.list(caller.tenantId()).stream().map(PurposeView::of).toList());
    }
}
