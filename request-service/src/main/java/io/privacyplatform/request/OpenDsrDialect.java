package io.privacyplatform.request;

import io.privacyplatform.support.mapping.WireValue;

/**
 * The name under which a controller's tool speaks the protocol: OpenDSR 2.0, or OpenGDPR, its former name, whose
 * routes and headers processors must still honour (section 10.1).
 */
public enum OpenDsrDialect implements WireValue {
    OPENDSR("OpenDSR"), OPENGDPR("OpenGDPR");

    private final String headerPrefix;

    OpenDsrDialect(String headerPrefix) {
        this.headerPrefix = headerPrefix;
    }

    /** {@code X-OpenDSR-Signature} or {@code X-OpenGDPR-Signature}. */
    public String signatureHeader() {
        return "X-" + headerPrefix + "-Signature";
    }

    /** {@code X-OpenDSR-Processor-Domain} or {@code X-OpenGDPR-Processor-Domain}. */
    public String domainHeader() {
        return "X-" + headerPrefix + "-Processor-Domain";
    }
}
