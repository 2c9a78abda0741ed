-- The mailer's do-not-send list as consent decisions reach it (mail-log-store stands for the mailer as a consent
-- subscriber): one row per account, subject and marketing e-mail purpose the subject withdrew or refused, removed
-- when the subject grants it again. The subject appears only as its pseudonym (the decision's Kafka key), so the list
-- names nobody without the platform secret; it is what must outlive an erasure (Art. 21(3) GDPR).
CREATE TABLE mail_suppression (
    tenant_id          VARCHAR(100)  NOT NULL,
    subject_pseudonym  VARCHAR(64)   NOT NULL,
    purpose_id         VARCHAR(100)  NOT NULL,
    consent_id         UUID          NOT NULL,
    suppressed_at      TIMESTAMPTZ   NOT NULL,
    PRIMARY KEY (tenant_id, subject_pseudonym, purpose_id)
);
