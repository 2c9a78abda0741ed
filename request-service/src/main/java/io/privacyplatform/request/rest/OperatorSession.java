package io.privacyplatform.request.rest;

import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jboss.logging.Logger;

import io.privacyplatform.support.auth.Caller;
import io.privacyplatform.support.auth.Roles;
import io.quarkus.qute.TemplateData;
import io.smallrye.jwt.auth.principal.JWTParser;
import io.smallrye.jwt.auth.principal.ParseException;

/**
 * The dashboard's login: the operator pastes a bearer token once, it is kept in an HttpOnly, SameSite=Strict cookie
 * and verified on every page with the service's own JWT settings (issuer, key, expiry). Only the dashboard pages
 * read the cookie; the API accepts the Authorization header only.
 */
@ApplicationScoped
public class OperatorSession {

    public static final String COOKIE = "privacy_token";
    private static final Logger LOG = Logger.getLogger(OperatorSession.class);

    @Inject
    JWTParser parser;

    /** The signed-in operator: tenant, name, and when the token expires (epoch seconds). */
    @TemplateData
    public record Operator(String tenantId, String name, long expiresAt) {
    }

    public Optional<Operator> verify(String token) {
        if (token == null || token.isBlank() || token.length() > 8192) {
            return Optional.empty();
        }
        try {
            JsonWebToken jwt = parser.parse(token.trim());
            Object tenant = jwt.getClaim(Caller.TENANT_CLAIM);
            String tenantId = tenant == null ? null : tenant.toString().replace("\"", "");
            if (tenantId == null || tenantId.isBlank() || jwt.getGroups() == null
                    || !jwt.getGroups().contains(Roles.OPERATOR)) {
                return Optional.empty();
            }
            return Optional.of(new Operator(tenantId, jwt.getName() == null ? "operator" : jwt.getName(),
                    jwt.getExpirationTime()));
        } catch (ParseException e) {
            LOG.debugf("dashboard token refused: %s", e.getMessage());
            return Optional.empty();
        }
    }
}
