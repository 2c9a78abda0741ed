-- The e-mail delivery side's log of sent messages: the data the retention policy speaks about.
CREATE TABLE mail_message (
    id             UUID PRIMARY KEY,
    tenant_id      VARCHAR(100)  NOT NULL,
    message_id     VARCHAR(300)  NOT NULL,
    sender         VARCHAR(320)  NOT NULL,
    to_addresses   VARCHAR(320)[] NOT NULL,
    cc_addresses   VARCHAR(320)[] NOT NULL,
    -- to and cc, lower-cased: what an erasure or an export matches the subject's address against.
    recipients     VARCHAR(320)[] NOT NULL,
    subject        VARCHAR(1000),
    headers        JSONB         NOT NULL,
    sent_at        TIMESTAMPTZ   NOT NULL,
    stored_at      TIMESTAMPTZ   NOT NULL,
    restricted     BOOLEAN       NOT NULL DEFAULT false,
    UNIQUE (tenant_id, message_id)
);

CREATE INDEX mail_message_listing ON mail_message (tenant_id, sent_at DESC, id DESC);
CREATE INDEX mail_message_sender ON mail_message (tenant_id, lower(sender));
CREATE INDEX mail_message_recipients ON mail_message USING GIN (recipients);
CREATE INDEX mail_message_sent ON mail_message (sent_at);

-- The 1 in 100 messages kept whole for abuse review.
CREATE TABLE mail_sample (
    message_pk  UUID PRIMARY KEY REFERENCES mail_message (id) ON DELETE CASCADE,
    body        TEXT NOT NULL
);

-- From the compacted privacy.tenant.settings.v1: which accounts are trusted (no sampling).
CREATE TABLE tenant_setting (
    tenant_id   VARCHAR(100) PRIMARY KEY,
    trusted     BOOLEAN      NOT NULL,
    region      VARCHAR(50)  NOT NULL,
    updated_at  TIMESTAMPTZ  NOT NULL
);

-- What each command did, written in the same transaction as its effect: a redelivered command is answered with
-- this outcome again instead of being carried out twice (an erase finds nothing the second time).
CREATE TABLE command_outcome (
    command_id    VARCHAR(100) PRIMARY KEY,
    tenant_id     VARCHAR(100) NOT NULL,
    request_id    VARCHAR(100),
    outcome       VARCHAR(20)  NOT NULL,
    records       BIGINT       NOT NULL,
    digest        VARCHAR(64),
    detail        VARCHAR(1000),
    data          JSONB,
    completed_at  TIMESTAMPTZ  NOT NULL
);
