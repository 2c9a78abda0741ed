package io.privacyplatform.support.auth;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.jwt.JsonWebToken;

import io.privacyplatform.support.error.ApiException;

/**
 * Who is calling: the tenant and roles of the verified bearer token. Every query a service runs for a caller is
 * scoped to {@link #tenantId()}, so another tenant's resource is simply not found.
 */
@RequestScoped
public class Caller {

    public static final String PLATFORM_TENANT = "platform";
    public static final String TENANT_CLAIM = "tenant";

    @Inject
    JsonWebToken jwt;

    public String tenantId() {
        Object tenant = jwt.getClaim(TENANT_CLAIM);
        String value = tenant == null ? null : tenant.toString().replace("\"", "");
        if (value == null || value.isBlank()) {
            throw ApiException.forbidden("token_without_tenant", "the bearer token carries no 'tenant' claim");
        }
        return value;
    }

    /** The token's name, for audit trails. */
    public String actor() {
        return jwt.getName() == null ? "unknown" : jwt.getName();
    }

    public boolean hasRole(String role) {
        return jwt.getGroups() != null && jwt.getGroups().contains(role);
    }

    public boolean isPlatform() {
        return PLATFORM_TENANT.equals(tenantId());
    }

    /** An admin of the {@code platform} tenant: the only caller of platform-wide configuration and operations. */
    public boolean isPlatformAdmin() {
        return isPlatform() && hasRole(Roles.ADMIN);
    }
}
