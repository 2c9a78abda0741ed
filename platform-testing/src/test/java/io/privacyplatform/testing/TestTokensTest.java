package io.privacyplatform.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TestTokensTest {

    @TempDir
    Path dir;

    @Test
    void shouldMintEveryLocalTokenSignedWithTheSavedKey() throws Exception {
        Path keys = dir.resolve("jwt");
        Path tokens = dir.resolve("tokens");

        TestTokens.main(new String[] {keys.toString(), tokens.toString()});

        PublicKey publicKey = publicKey(keys.resolve("public.pem"));
        assertThat(Files.list(tokens)).hasSize(6);
        for (String tenant : new String[] {"platform", "acme"}) {
            for (String role : new String[] {"app", "operator", "admin"}) {
                String[] jwt = Files.readString(tokens.resolve(tenant + "-" + role + ".jwt")).split("\\.");
                assertThat(verifies(publicKey, jwt)).isTrue();
                String claims = new String(Base64.getUrlDecoder().decode(jwt[1]), StandardCharsets.UTF_8);
                assertThat(claims).contains("\"iss\":\"privacy-platform\"", "\"sub\":\"" + tenant + "-" + role + "\"",
                        "\"upn\":\"" + tenant + "-" + role + "\"", "\"tenant\":\"" + tenant + "\"",
                        "\"groups\":[\"" + role + "\"]");
                assertThat(audiences(claims)).containsExactlyInAnyOrderElementsOf(TestTokens.SERVICES);
                long iat = Long.parseLong(claims.replaceAll(".*\"iat\":(\\d+).*", "$1"));
                long exp = Long.parseLong(claims.replaceAll(".*\"exp\":(\\d+).*", "$1"));
                assertThat(exp - iat).isEqualTo(8L * 60 * 60);
            }
        }
    }

    @Test
    void shouldKeepTheKeyPairOfAnEarlierRun() throws Exception {
        Path keys = dir.resolve("jwt");
        TestTokens.main(new String[] {keys.toString(), dir.resolve("first").toString()});
        String publicPem = Files.readString(keys.resolve("public.pem"));

        TestTokens.main(new String[] {keys.toString(), dir.resolve("second").toString()});

        assertThat(Files.readString(keys.resolve("public.pem"))).isEqualTo(publicPem);
        String[] jwt = Files.readString(dir.resolve("second").resolve("acme-app.jwt")).split("\\.");
        assertThat(verifies(publicKey(keys.resolve("public.pem")), jwt)).isTrue();
    }

    @Test
    void shouldMintTokensForOneServiceWhenNamed() throws Exception {
        Path keys = dir.resolve("jwt");
        Path tokens = dir.resolve("tokens");

        TestTokens.main(new String[] {keys.toString(), tokens.toString(), "retention-service"});

        assertThat(Files.list(tokens)).hasSize(6);
        String[] jwt = Files.readString(tokens.resolve("platform-admin.retention-service.jwt")).split("\\.");
        assertThat(verifies(publicKey(keys.resolve("public.pem")), jwt)).isTrue();
        String claims = new String(Base64.getUrlDecoder().decode(jwt[1]), StandardCharsets.UTF_8);
        assertThat(audiences(claims)).containsExactly("retention-service");
    }

    /** The {@code aud} claim: one string, or an array of them. */
    private static List<String> audiences(String claims) {
        Matcher aud = Pattern.compile("\"aud\":(\\[[^\\]]*\\]|\"[^\"]*\")").matcher(claims);
        assertThat(aud.find()).as("aud claim in " + claims).isTrue();
        List<String> names = new ArrayList<>();
        Matcher name = Pattern.compile("\"([^\"]*)\"").matcher(aud.group(1));
        while (name.find()) {
            names.add(name.group(1));
        }
        return names;
    }

    private static PublicKey publicKey(Path pem) throws Exception {
        String base64 = Files.readString(pem).replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        return KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(base64)));
    }

    private static boolean verifies(PublicKey key, String[] jwt) throws Exception {
        Signature rs256 = Signature.getInstance("SHA256withRSA");
        rs256.initVerify(key);
        rs256.update((jwt[0] + "." + jwt[1]).getBytes(StandardCharsets.US_ASCII));
        return rs256.verify(Base64.getUrlDecoder().decode(jwt[2]));
    }
}
