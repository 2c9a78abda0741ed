-- Erasure deletes (issue 11): an ERASE no longer keeps the subject's records under a pseudonym (re-identifiable
-- with the platform secret). What earlier erasures left behind goes too, and with it the "erased" flags.
DELETE FROM consent_current c USING consent_record r WHERE r.id = c.record_id AND r.erased;
DELETE FROM consent_record WHERE erased;
DELETE FROM tcf_consent WHERE erased;
DELETE FROM restricted_subject WHERE subject_id LIKE 'erased:%';
ALTER TABLE consent_record DROP COLUMN erased;
ALTER TABLE tcf_consent DROP COLUMN erased;

-- One random HMAC key per tenant, made on first use. Suppression entries are keyed hashes under it: without this
-- key an entry cannot be linked to a subject id (no dictionary test against the table alone); dropping a tenant's
-- key makes all its entries unlinkable at once.
CREATE TABLE tenant_key (
    tenant_id   VARCHAR(100)  PRIMARY KEY,
    hmac_key    BYTEA         NOT NULL,
    created_at  TIMESTAMPTZ   NOT NULL
);

-- What an erasure keeps of a subject that had withdrawn or refused marketing e-mail: "do not e-mail this person
-- again" for one purpose, as HMAC-SHA256(tenant key; tenant, subject id) in hex. No date, no decision, no evidence.
CREATE TABLE suppression (
    tenant_id     VARCHAR(100)  NOT NULL,
    purpose_id    VARCHAR(100)  NOT NULL,
    subject_hash  VARCHAR(64)   NOT NULL,
    PRIMARY KEY (tenant_id, purpose_id, subject_hash)
);
