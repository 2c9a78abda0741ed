package io.privacyplatform.consent.rest;

import static io.privacyplatform.consent.ConsentApi.as;
import static io.privacyplatform.consent.ConsentApi.subject;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;

import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.iabtcf.encoder.TCStringEncoder;

import io.privacyplatform.testing.TestDatabase;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class TcfConsentTests {

    @Test
    void shouldStoreAValidStringWithItsDecodedPurposeConsents() {
        String subject = subject();
        String tcString = TCStringEncoder.newBuilder()
                .version(2)
                .created(Instant.parse("2025-05-01T10:00:00Z"))
                .lastUpdated(Instant.parse("2025-05-01T10:00:00Z"))
                .cmpId(7).cmpVersion(2).consentScreen(1).consentLanguage("EN").vendorListVersion(48)
                .tcfPolicyVersion(4).publisherCC("DE")
                .addPurposesConsent(1).addPurposesConsent(3).addPurposesConsent(4)
                .addPurposesLITransparency(2)
                .addVendorConsent(755).addVendorConsent(32)
                .encode();

        String id = as("acme", "app").body(Map.of("subjectId", subject, "tcString", tcString))
                .post("/v1/consents/tcf").then().statusCode(201)
                .body("subjectId", equalTo(subject))
                .body("cmpId", equalTo(7))
                .body("vendorListVersion", equalTo(48))
                .body("tcfPolicyVersion", equalTo(4))
                .body("purposeConsents", contains(1, 3, 4))
                .body("purposeLegitimateInterests", contains(2))
                .body("vendorConsents", contains(32, 755))
                .extract().path("tcfConsentId");

        Map<String, Object> row = TestDatabase.rows("SELECT tc_string, purpose_consents, vendor_consents"
                + " FROM tcf_consent WHERE id = ?::uuid", id).get(0);
        assertThat(row).containsEntry("tc_string", tcString).containsEntry("purpose_consents", "1,3,4")
                .containsEntry("vendor_consents", "32,755");
    }

    @Test
    void shouldRejectAnInvalidString() {
        String subject = subject();
        for (String invalid : new String[] { "not-a-tc-string!", "BOEFEAyOEFEAyAHABDENAI4AAAB9vABAASA",
                "CPc" }) {
            as("acme", "app").body(Map.of("subjectId", subject, "tcString", invalid)).post("/v1/consents/tcf")
                    .then().statusCode(400)
                    .body("error.code", equalTo("validation_failed"))
                    .body("error.details[0].field", equalTo("tcString"));
        }
        assertThat(TestDatabase.count("SELECT count(*) FROM tcf_consent WHERE subject_id = ?", subject)).isZero();
    }
}
