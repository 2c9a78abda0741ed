package io.privacyplatform.testing;

import java.net.URI;

import io.quarkus.test.common.http.TestHTTPResourceManager;
import io.restassured.RestAssured;
import io.restassured.specification.RequestSpecification;

/**
 * Requests to the management interface of the service under test (health, metrics): its own port, random in tests
 * ({@code quarkus.management.test-port=0}), never the API's. Paths stay absolute: {@code get("/q/health/ready")}.
 */
public final class ManagementInterface {

    private ManagementInterface() {
    }

    public static RequestSpecification given() {
        // The management root path (/q) is part of the test URL; the callers name full paths, so only the origin
        // is taken from it.
        URI uri = URI.create(TestHTTPResourceManager.getManagementUri());
        return RestAssured.given().baseUri(uri.getScheme() + "://" + uri.getHost()).port(uri.getPort());
    }
}
