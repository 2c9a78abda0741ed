package io.privacyplatform.request.rest;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.ext.Provider;

/**
 * The headers of every privacy page answer, errors included: no script and no styles but inline ones, forms only to
 * this service, never inside another site's frame (a framed form could be clicked unknowingly), no MIME sniffing,
 * referrers only to this origin (browsers then still send {@code Origin}, which the forms' check needs), and nothing
 * cached (the pages carry a request's status and a CSRF token, the downloads personal data).
 */
@Provider
@PrivacyPageHeaders
public class PrivacyPageHeadersFilter implements ContainerResponseFilter {

    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; style-src 'unsafe-inline'; "
            + "form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        response.getHeaders().putSingle("Content-Security-Policy", CONTENT_SECURITY_POLICY);
        response.getHeaders().putSingle("X-Content-Type-Options", "nosniff");
        response.getHeaders().putSingle("Referrer-Policy", "same-origin");
        response.getHeaders().putSingle("Cache-Control", "no-store");
    }
}
