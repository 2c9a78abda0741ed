package io.privacyplatform.support.http;

import java.util.Map;
import java.util.Set;

import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * Hands the check of malformed request URIs from Quarkus' root handler to {@link HttpLayerErrors}. Quarkus refuses a
 * URI that {@code java.net.URI} cannot parse ({@code /v1/%zz}) with an empty 400 before any route runs, unless the
 * system property {@code vertx.disableURIValidation} is true, and it reads that property once, when its HTTP
 * recorder class initialises. Configuration sources load before that, so this (empty) source is the one place
 * that sets it early enough for every service, in tests and in production alike; {@link HttpLayerErrors} then
 * answers the same URIs with a 400 in the JSON error shape. An explicit {@code -Dvertx.disableURIValidation=false}
 * wins.
 */
public class UriValidationHandover implements ConfigSource {

    static final String PROPERTY = "vertx.disableURIValidation";

    static {
        if (System.getProperty(PROPERTY) == null) {
            System.setProperty(PROPERTY, "true");
        }
    }

    @Override
    public Map<String, String> getProperties() {
        return Map.of();
    }

    @Override
    public Set<String> getPropertyNames() {
        return Set.of();
    }

    @Override
    public String getValue(String propertyName) {
        return null;
    }

    @Override
    public String getName() {
        return "uri-validation-handover";
    }

    @Override
    public int getOrdinal() {
        return Integer.MIN_VALUE;
    }
}
