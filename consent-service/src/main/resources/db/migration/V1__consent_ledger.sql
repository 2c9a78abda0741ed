-- Consent ledger: purposes and policy versions per tenant, an append-only record of every decision, and the
-- current state per (tenant, subject, purpose) kept in the same transaction as each record.

CREATE TABLE purpose (
    id                    UUID PRIMARY KEY,
    tenant_id             VARCHAR(100)  NOT NULL,
    purpose_id            VARCHAR(100)  NOT NULL,
    title                 VARCHAR(200)  NOT NULL,
    description           VARCHAR(2000),
    category              VARCHAR(30)   NOT NULL,
    default_lawful_basis  VARCHAR(30)   NOT NULL,
    created_at            TIMESTAMPTZ   NOT NULL,
    updated_at            TIMESTAMPTZ   NOT NULL,
    UNIQUE (tenant_id, purpose_id)
);

CREATE TABLE policy_version (
    id            UUID PRIMARY KEY,
    tenant_id     VARCHAR(100)  NOT NULL,
    version       VARCHAR(100)  NOT NULL,
    effective_at  TIMESTAMPTZ   NOT NULL,
    material      BOOLEAN       NOT NULL,
    summary       VARCHAR(2000),
    created_at    TIMESTAMPTZ   NOT NULL,
    notices       INTEGER       NOT NULL DEFAULT 0,
    UNIQUE (tenant_id, version)
);

-- Append-only: rows are inserted, never updated, except by an ERASE command, which replaces the subject id by a
-- pseudonym and drops the evidence (the decision itself is kept as proof under legal obligation).
CREATE TABLE consent_record (
    id                   BIGSERIAL PRIMARY KEY,
    consent_id           UUID          NOT NULL UNIQUE,
    tenant_id            VARCHAR(100)  NOT NULL,
    subject_id           VARCHAR(200)  NOT NULL,
    purpose_id           VARCHAR(100)  NOT NULL,
    category             VARCHAR(30)   NOT NULL,
    decision             VARCHAR(20)   NOT NULL,
    lawful_basis         VARCHAR(30)   NOT NULL,
    policy_version       VARCHAR(100),
    channel              VARCHAR(30)   NOT NULL,
    gpc                  BOOLEAN       NOT NULL DEFAULT FALSE,
    evidence_ip          VARCHAR(45),
    evidence_user_agent  VARCHAR(500),
    evidence_text        VARCHAR(2000),
    occurred_at          TIMESTAMPTZ   NOT NULL,
    recorded_at          TIMESTAMPTZ   NOT NULL,
    request_id           VARCHAR(100),
    event_id             UUID          NOT NULL,
    erased               BOOLEAN       NOT NULL DEFAULT FALSE
);

CREATE INDEX consent_record_subject ON consent_record (tenant_id, subject_id, occurred_at DESC, id DESC);

-- The latest record (by occurred_at, then id) per purpose: what "now" reads and what GPC, objections and
-- unsubscribes act on.
CREATE TABLE consent_current (
    tenant_id    VARCHAR(100)  NOT NULL,
    subject_id   VARCHAR(200)  NOT NULL,
    purpose_id   VARCHAR(100)  NOT NULL,
    record_id    BIGINT        NOT NULL REFERENCES consent_record (id),
    occurred_at  TIMESTAMPTZ   NOT NULL,
    PRIMARY KEY (tenant_id, subject_id, purpose_id)
);

CREATE TABLE tcf_consent (
    id                     UUID PRIMARY KEY,
    tenant_id              VARCHAR(100)  NOT NULL,
    subject_id             VARCHAR(200)  NOT NULL,
    tc_string              TEXT          NOT NULL,
    cmp_id                 INTEGER       NOT NULL,
    cmp_version            INTEGER       NOT NULL,
    vendor_list_version    INTEGER       NOT NULL,
    tcf_policy_version     INTEGER       NOT NULL,
    tc_created_at          TIMESTAMPTZ,
    purpose_consents       VARCHAR(200)  NOT NULL,
    purpose_legitimate_interests VARCHAR(200) NOT NULL,
    special_feature_opt_ins VARCHAR(200) NOT NULL,
    vendor_consents        TEXT          NOT NULL,
    recorded_at            TIMESTAMPTZ   NOT NULL,
    erased                 BOOLEAN       NOT NULL DEFAULT FALSE
);

CREATE INDEX tcf_consent_subject ON tcf_consent (tenant_id, subject_id, recorded_at DESC);

-- Subjects under a restriction of processing (Art. 18 GDPR): new grants for non-essential purposes are refused.
CREATE TABLE restricted_subject (
    tenant_id      VARCHAR(100)  NOT NULL,
    subject_id     VARCHAR(200)  NOT NULL,
    request_id     VARCHAR(100),
    restricted_at  TIMESTAMPTZ   NOT NULL,
    PRIMARY KEY (tenant_id, subject_id)
);

-- Commands this service (as store "consent-service") has answered: a re-sent command gets the same ack again.
CREATE TABLE handled_command (
    command_id   VARCHAR(100)  PRIMARY KEY,
    tenant_id    VARCHAR(100)  NOT NULL,
    kind         VARCHAR(30)   NOT NULL,
    ack          TEXT          NOT NULL,
    handled_at   TIMESTAMPTZ   NOT NULL
);
