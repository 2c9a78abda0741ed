package io.privacyplatform.consent.service;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import com.iabtcf.decoder.TCString;
import com.iabtcf.utils.IntIterable;
import com.iabtcf.utils.IntIterator;

import io.privacyplatform.consent.TcfConsent;
import io.privacyplatform.consent.repository.TcfConsentRepository;
import io.privacyplatform.support.error.ApiException;

/** IAB TCF v2 consent strings: decoded with the IAB's own decoder, stored with what they say. */
@ApplicationScoped
public class TcfConsents {

    public static final int MAX_TC_STRING = 10_000;

    @Inject
    TcfConsentRepository consents;

    @Inject
    Clock clock;

    /** What a TC string says, in plain lists. */
    public record Decoded(int cmpId, int cmpVersion, int vendorListVersion, int tcfPolicyVersion,
            java.time.Instant created, List<Integer> purposeConsents, List<Integer> purposeLegitimateInterests,
            List<Integer> specialFeatureOptIns, List<Integer> vendorConsents) {
    }

    @Transactional
    public TcfConsent record(String tenantId, String subjectId, String tcString) {
        Decoded decoded = decode(tcString);
        TcfConsent consent = new TcfConsent();
        consent.id = UUID.randomUUID();
        consent.tenantId = tenantId;
        consent.subjectId = subjectId;
        consent.tcString = tcString;
        consent.cmpId = decoded.cmpId();
        consent.cmpVersion = decoded.cmpVersion();
        consent.vendorListVersion = decoded.vendorListVersion();
        consent.tcfPolicyVersion = decoded.tcfPolicyVersion();
        consent.tcCreatedAt = decoded.created();
        consent.purposeConsents = join(decoded.purposeConsents());
        consent.purposeLegitimateInterests = join(decoded.purposeLegitimateInterests());
        consent.specialFeatureOptIns = join(decoded.specialFeatureOptIns());
        consent.vendorConsents = join(decoded.vendorConsents());
        consent.recordedAt = clock.instant();
        consents.persist(consent);
        return consent;
    }

    /**
     * Decodes a TCF v2 string; anything else is a 400 on {@code tcString}. The decoder is lazy, so every field
     * used is read here, inside the check.
     */
    public static Decoded decode(String tcString) {
        if (tcString == null || tcString.isBlank()) {
            throw ApiException.validation("tcString", "must not be blank");
        }
        if (tcString.length() > MAX_TC_STRING) {
            throw ApiException.validation("tcString", "must be at most " + MAX_TC_STRING + " characters");
        }
        try {
            TCString decoded = TCString.decode(tcString);
            if (decoded.getVersion() != 2) {
                throw ApiException.validation("tcString", "must be a TCF v2 consent string");
            }
            return new Decoded(decoded.getCmpId(), decoded.getCmpVersion(), decoded.getVendorListVersion(),
                    decoded.getTcfPolicyVersion(), decoded.getCreated(), list(decoded.getPurposesConsent()),
                    list(decoded.getPurposesLITransparency()), list(decoded.getSpecialFeatureOptIns()),
                    list(decoded.getVendorConsent()));
        } catch (ApiException e) {
            throw e;
        } catch (RuntimeException e) {
            // IllegalArgumentException (not base64), ByteParseException (truncated), UnsupportedVersionException, …
            throw ApiException.validation("tcString", "is not a valid IAB TCF consent string");
        }
    }

    public static List<Integer> parse(String joined) {
        List<Integer> values = new ArrayList<>();
        if (joined != null && !joined.isEmpty()) {
            for (String part : joined.split(",")) {
                values.add(Integer.parseInt(part));
            }
        }
        return values;
    }

    private static List<Integer> list(IntIterable values) {
        List<Integer> result = new ArrayList<>();
        IntIterator iterator = values.intIterator();
        while (iterator.hasNext()) {
            result.add(iterator.nextInt());
        }
        return result;
    }

    private static String join(List<Integer> values) {
        return values.stream().map(String::valueOf).collect(Collectors.joining(","));
    }
}
