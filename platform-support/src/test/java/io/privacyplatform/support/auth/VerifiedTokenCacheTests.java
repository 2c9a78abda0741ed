package io.privacyplatform.support.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.UUID;

import jakarta.inject.Inject;

import org.eclipse.microprofile.jwt.JsonWebToken;
import org.junit.jupiter.api.Test;

import io.privacyplatform.testing.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.smallrye.jwt.auth.principal.JWTParser;
import io.smallrye.jwt.auth.principal.ParseException;

@QuarkusTest
class VerifiedTokenCacheTests {

    @Inject
    JWTParser parser;

    @Test
    void shouldBeTheParserThatBearerTokensGoThrough() {
        assertThat(parser).isInstanceOf(VerifiedTokenCache.class);
    }

    @Test
    void shouldVerifyATokenOnceAndAnswerItsRepeatsFromMemory() throws ParseException {
        String token = TestTokens.of("acme", Roles.APP);

        JsonWebToken first = parser.parse(token);
        JsonWebToken again = parser.parse(token);

        assertThat(again).isSameAs(first);
        assertThat(again.getClaim(Caller.TENANT_CLAIM).toString()).contains("acme");
    }

    @Test
    void shouldVerifyATamperedCopyOfACachedTokenInFull() throws ParseException {
        String token = TestTokens.of("acme", Roles.APP);
        parser.parse(token);
        String tampered = token.substring(0, token.length() - 6)
                + (token.endsWith("AAAAAA") ? "BBBBBB" : "AAAAAA");

        assertThatThrownBy(() -> parser.parse(tampered)).isInstanceOf(ParseException.class);
        RestAssured.given().header("Authorization", "Bearer " + tampered)
                .get("/widgets/" + UUID.randomUUID()).then().statusCode(401);
        RestAssured.given().header("Authorization", "Bearer " + token)
                .get("/widgets/" + UUID.randomUUID()).then().statusCode(404);
    }

    @Test
    void shouldVerifyAgainOnceTheCachedTokenExpired() throws ParseException {
        String token = TestTokens.expiringIn(Duration.ofSeconds(2), "acme", Roles.APP);
        JsonWebToken first = parser.parse(token);

        // Past its exp the cache no longer answers: the token goes through the verifier again (which still allows
        // its clock skew, so it parses, but as a new principal).
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200)).untilAsserted(
                () -> assertThat(parser.parse(token)).isNotSameAs(first));
    }
}
