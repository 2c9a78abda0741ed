package io.privacyplatform.request.rest;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import jakarta.ws.rs.NameBinding;

/**
 * The privacy page's answers carry {@link PrivacyPageHeadersFilter}'s headers. A JAX-RS filter bound by name rather
 * than a {@code quarkus.http.filter} route: a route matched by a path regex makes Vert.x decode every path first,
 * and a malformed escape anywhere would then be refused before the platform's HTTP layer could answer it.
 */
@NameBinding
@Retention(RetentionPolicy.RUNTIME)
@Target({ ElementType.TYPE, ElementType.METHOD })
public @interface PrivacyPageHeaders {
}
