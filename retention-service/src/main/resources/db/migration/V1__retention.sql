-- The data map: every downstream system that holds personal data, platform-wide (not per tenant).
CREATE TABLE data_system (
    id                  VARCHAR(100)  PRIMARY KEY,
    description         VARCHAR(1000) NOT NULL,
    owner               VARCHAR(200)  NOT NULL,
    region              VARCHAR(50)   NOT NULL,
    categories          TEXT[]        NOT NULL,
    capabilities        TEXT[]        NOT NULL,
    ack_timeout_seconds BIGINT        NOT NULL,
    transfer_safeguard  VARCHAR(500),
    created_at          TIMESTAMPTZ   NOT NULL,
    updated_at          TIMESTAMPTZ   NOT NULL,
    updated_by          VARCHAR(200)  NOT NULL
);

-- Retention policies, platform-wide: how long a category may stay, and on which schedule it is purged.
CREATE TABLE retention_policy (
    id               VARCHAR(100)  PRIMARY KEY,
    category         VARCHAR(100)  NOT NULL,
    -- an ISO-8601 period (P35D) or 'per_record' (the store keeps each record's own expiry)
    retain           VARCHAR(50)   NOT NULL,
    basis            VARCHAR(500)  NOT NULL,
    description      VARCHAR(1000),
    -- empty: every system holding the category
    systems          TEXT[]        NOT NULL,
    schedule_seconds BIGINT        NOT NULL,
    created_at       TIMESTAMPTZ   NOT NULL,
    updated_at       TIMESTAMPTZ   NOT NULL,
    updated_by       VARCHAR(200)  NOT NULL
);

CREATE TABLE tenant_settings (
    tenant_id   VARCHAR(100) PRIMARY KEY,
    trusted     BOOLEAN      NOT NULL,
    region      VARCHAR(50)  NOT NULL,
    updated_at  TIMESTAMPTZ  NOT NULL,
    updated_by  VARCHAR(200) NOT NULL
);

-- A legal hold defers the deletion of some categories of one subject; matched by pseudonym.
CREATE TABLE legal_hold (
    id                 UUID          PRIMARY KEY,
    tenant_id          VARCHAR(100)  NOT NULL,
    subject_id         VARCHAR(320)  NOT NULL,
    subject_pseudonym  VARCHAR(64)   NOT NULL,
    categories         TEXT[]        NOT NULL,
    reason             VARCHAR(500)  NOT NULL,
    until              TIMESTAMPTZ,
    created_at         TIMESTAMPTZ   NOT NULL,
    created_by         VARCHAR(200)  NOT NULL
);

CREATE INDEX legal_hold_subject ON legal_hold (tenant_id, subject_pseudonym);
CREATE INDEX legal_hold_listing ON legal_hold (tenant_id, created_at DESC, id DESC);

-- Verified rights requests this service acts on. No subject id or address: the commands carry those until done.
CREATE TABLE rights_request (
    request_id         VARCHAR(100)  PRIMARY KEY,
    tenant_id          VARCHAR(100)  NOT NULL,
    type               VARCHAR(50)   NOT NULL,
    subject_pseudonym  VARCHAR(64)   NOT NULL,
    state              VARCHAR(20)   NOT NULL,
    due_at             TIMESTAMPTZ,
    -- [{category, reason}] of the legal holds that deferred part of an erasure, as JSON
    held               TEXT          NOT NULL DEFAULT '[]',
    verified_at        TIMESTAMPTZ   NOT NULL,
    completed_at       TIMESTAMPTZ
);

-- One run of a policy per schedule window, whichever instance gets there first.
CREATE TABLE policy_run (
    id            UUID          PRIMARY KEY,
    policy_id     VARCHAR(100)  NOT NULL,
    window_start  TIMESTAMPTZ   NOT NULL,
    cutoff        TIMESTAMPTZ   NOT NULL,
    per_record    BOOLEAN       NOT NULL,
    state         VARCHAR(20)   NOT NULL,
    trigger       VARCHAR(20)   NOT NULL,
    created_at    TIMESTAMPTZ   NOT NULL,
    completed_at  TIMESTAMPTZ,
    UNIQUE (policy_id, window_start)
);

-- One command to one system, for a rights request or a policy run. The payload is what is (re-)sent; it is
-- cleared once the command is finished, so a subject's id and address do not outlive the work.
CREATE TABLE subject_command (
    command_id        VARCHAR(64)   PRIMARY KEY,
    request_id        VARCHAR(100)  REFERENCES rights_request (request_id),
    policy_run_id     UUID          REFERENCES policy_run (id),
    tenant_id         VARCHAR(100)  NOT NULL,
    system_id         VARCHAR(100)  NOT NULL,
    kind              VARCHAR(20)   NOT NULL,
    categories        TEXT[]        NOT NULL,
    held_categories   TEXT[]        NOT NULL,
    record_key        VARCHAR(200)  NOT NULL,
    payload           TEXT,
    -- sent | retry | done | held | stuck
    state             VARCHAR(20)   NOT NULL,
    attempts          INTEGER       NOT NULL,
    -- the attempt after which an unanswered command is stuck; a redrive grants another round
    attempt_budget    INTEGER       NOT NULL,
    next_attempt_at   TIMESTAMPTZ,
    outcome           VARCHAR(20),
    records           BIGINT        NOT NULL DEFAULT 0,
    digest            VARCHAR(64),
    detail            VARCHAR(1000),
    created_at        TIMESTAMPTZ   NOT NULL,
    updated_at        TIMESTAMPTZ   NOT NULL,
    completed_at      TIMESTAMPTZ,
    CHECK ((request_id IS NULL) <> (policy_run_id IS NULL))
);

-- One command per system per request or run, however often the triggering event arrives.
CREATE UNIQUE INDEX subject_command_request_system ON subject_command (request_id, system_id)
    WHERE request_id IS NOT NULL;
CREATE UNIQUE INDEX subject_command_run_system ON subject_command (policy_run_id, system_id)
    WHERE policy_run_id IS NOT NULL;
CREATE INDEX subject_command_due ON subject_command (next_attempt_at) WHERE state IN ('sent', 'retry');
CREATE INDEX subject_command_open ON subject_command (system_id) WHERE state IN ('sent', 'retry', 'stuck');

-- Signed deletion certificates: body is the canonical JSON that was signed.
CREATE TABLE certificate (
    request_id  VARCHAR(100) PRIMARY KEY REFERENCES rights_request (request_id),
    tenant_id   VARCHAR(100) NOT NULL,
    body        TEXT         NOT NULL,
    signature   VARCHAR(200) NOT NULL,
    issued_at   TIMESTAMPTZ  NOT NULL
);

-- The certificate signing key when none is configured: made once, so certificates stay verifiable across restarts.
CREATE TABLE signing_key (
    id           VARCHAR(50)  PRIMARY KEY,
    algorithm    VARCHAR(20)  NOT NULL,
    private_key  TEXT         NOT NULL,
    public_key   TEXT         NOT NULL,
    created_at   TIMESTAMPTZ  NOT NULL
);
