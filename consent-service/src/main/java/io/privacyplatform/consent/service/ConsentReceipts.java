package io.privacyplatform.consent.service;

import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import io.privacyplatform.consent.ConsentRecord;
import io.privacyplatform.consent.LawfulBasis;
import io.privacyplatform.consent.Purpose;
import io.privacyplatform.consent.config.ConsentConfig;
import io.privacyplatform.consent.mapping.ConsentReceipt;
import io.privacyplatform.consent.repository.ConsentRecordRepository;
import io.privacyplatform.consent.repository.PurposeRepository;
import io.privacyplatform.support.error.ApiException;

/** Consent receipts of recorded decisions. */
@ApplicationScoped
public class ConsentReceipts {

    @Inject
    ConsentRecordRepository records;

    @Inject
    PurposeRepository purposes;

    @Inject
    UnsubscribeTokens tokens;

    @Inject
    ConsentConfig config;

    @Transactional
    public ConsentReceipt of(String tenantId, UUID consentId) {
        ConsentRecord record = records.findByConsentId(tenantId, consentId)
                .orElseThrow(() -> ApiException.notFound("consent"));
        Purpose purpose = purposes.findByPurposeId(tenantId, record.purposeId).orElse(null);
        String withdrawalUrl = tokens.url(tenantId, record.subjectId, record.purposeId);
        return new ConsentReceipt(record.consentId.toString(), ConsentReceipt.VERSION, config.jurisdiction(),
                record.recordedAt, record.occurredAt, record.channel.wire(),
                new ConsentReceipt.Controller(config.controller().name(), config.controller().contact()),
                record.subjectId,
                new ConsentReceipt.Purpose(record.purposeId, purpose == null ? record.purposeId : purpose.title,
                        record.category.wire(), purpose == null ? null : purpose.description),
                record.decision.wire(), record.lawfulBasis.wire(),
                record.lawfulBasis == LawfulBasis.CONSENT ? "explicit" : "not_consent_based",
                new ConsentReceipt.Policy(config.policyUrl(), record.policyVersion),
                new ConsentReceipt.Withdrawal("one-click link (RFC 8058, POST) or POST /v1/consents with decision"
                        + " withdrawn", withdrawalUrl),
                record.gpc, false);
    }
}
