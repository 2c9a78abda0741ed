package io.privacyplatform.consent.mapping;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.privacyplatform.consent.ConsentRecord;

/** A recorded decision as the API answers it; evidence is never part of it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ConsentView(String consentId, String subjectId, String purpose, String category, String decision,
        String lawfulBasis, String policyVersion, String channel, boolean gpc, Instant occurredAt, Instant recordedAt,
        String requestId, String receiptUrl) {

    public static ConsentView of(ConsentRecord record) {
        return new ConsentView(record.consentId.toString(), record.subjectId, record.purposeId,
                record.category.wire(), record.decision.wire(), record.lawfulBasis.wire(), record.policyVersion,
                record.channel.wire(), record.gpc,
                record.occurredAt, record.recordedAt, record.requestId,
                "/v1/consents/" + record.consentId + "/receipt");
    }

    public static List<ConsentView> of(List<ConsentRecord> records) {
        return records.stream().map(ConsentView::of).toList();
    }
}
