package io.privacyplatform.request.rest;

import static io.privacyplatform.request.RequestFixtures.subject;
import static io.privacyplatform.request.RequestFixtures.submitted;
import static io.privacyplatform.request.RequestFixtures.verifiedBody;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.not;

import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.privacyplatform.testing.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.filter.cookie.CookieFilter;
import io.restassured.http.ContentType;
import io.restassured.http.Cookie;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/** The dashboard's cookie session over plain HTTP, with a cookie jar that keeps and drops cookies as browsers do. */
@QuarkusTest
class DashboardSessionTests {

    private static final String COOKIE = "privacy_token";

    @Test
    void shouldNotOpenTheDashboardWithTheSessionCookieAfterLogout() {
        String tenant = "dash-" + UUID.randomUUID().toString().substring(0, 8);
        String id = submitted(tenant, verifiedBody("erasure", subject()));
        CookieFilter browser = new CookieFilter();

        Response signIn = as(browser).contentType(ContentType.URLENC)
                .formParam("token", TestTokens.of(tenant, "operator")).post("/login");
        assertThat(signIn.statusCode()).isEqualTo(303);
        assertThat(signIn.getDetailedCookie(COOKIE).getValue()).isNotEmpty();
        as(browser).get("/").then().statusCode(200).body(containsString(id));
        as(browser).get("/requests/" + id).then().statusCode(200).body(containsString(id));

        Response signOut = as(browser).post("/logout");
        assertThat(signOut.statusCode()).isEqualTo(303);
        assertThat(signOut.header("Location")).endsWith("/login");
        Cookie cleared = signOut.getDetailedCookie(COOKIE);
        assertThat(cleared).as("the logout answer clears the session cookie").isNotNull();
        assertThat(cleared.getValue()).isEmpty();
        assertThat(cleared.getMaxAge()).isZero();
        assertThat(cleared.getPath()).isEqualTo("/");
        assertThat(cleared.isHttpOnly()).isTrue();

        // The jar dropped the cookie: every dashboard page sends the operator back to the login form.
        as(browser).get("/").then().statusCode(303).header("Location", endsWith("/login"))
                .body(not(containsString(id)));
        as(browser).get("/requests/" + id).then().statusCode(303).header("Location", endsWith("/login"));
        as(browser).contentType(ContentType.URLENC).formParam("reason", "after logout")
                .post("/requests/" + id + "/denial").then().statusCode(303).header("Location", endsWith("/login"));
        // A client that kept the cleared value instead of dropping it is not signed in either.
        given().redirects().follow(false).cookie(COOKIE, cleared.getValue()).get("/").then().statusCode(303)
                .header("Location", endsWith("/login"));
        given().header("Authorization", TestTokens.bearer(tenant, "operator")).get("/v1/requests/" + id).then()
                .statusCode(200).body("status", org.hamcrest.Matchers.equalTo("verified"));
    }

    private static RequestSpecification as(CookieFilter browser) {
        return given().redirects().follow(false).filter(browser);
    }
}
