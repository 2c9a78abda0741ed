-- Shared by every service: the transactional outbox and the inbox of processed events.
-- Versions 0.x belong to platform-support; each service's own migrations start at V1.

CREATE TABLE outbox_event (
    id            BIGSERIAL PRIMARY KEY,
    event_id      VARCHAR(64)  NOT NULL UNIQUE,
    topic         VARCHAR(249) NOT NULL,
    record_key    VARCHAR(200),
    -- Rows of one key always share a shard, and one relay at a time owns a shard: that keeps per-key order
    -- while several instances relay different shards in parallel.
    shard         SMALLINT     NOT NULL,
    ce_type       VARCHAR(200) NOT NULL,
    ce_source     VARCHAR(200) NOT NULL,
    ce_subject    VARCHAR(200),
    ce_time       TIMESTAMPTZ  NOT NULL,
    tenant_id     VARCHAR(100) NOT NULL,
    payload       BYTEA        NOT NULL,
    created_at    TIMESTAMPTZ  NOT NULL DEFAULT now(),
    sent_at       TIMESTAMPTZ,
    attempts      INTEGER      NOT NULL DEFAULT 0,
    last_error    VARCHAR(500)
);

CREATE INDEX outbox_event_pending ON outbox_event (shard, id) WHERE sent_at IS NULL;
CREATE INDEX outbox_event_sent ON outbox_event (sent_at) WHERE sent_at IS NOT NULL;

CREATE TABLE inbox_event (
    consumer      VARCHAR(100) NOT NULL,
    event_id      VARCHAR(64)  NOT NULL,
    processed_at  TIMESTAMPTZ  NOT NULL DEFAULT now(),
    PRIMARY KEY (consumer, event_id)
);
