-- The acks a store remembers (platform-support's StoreCommandOutcomes, the subscriber kit's AcknowledgedCommands):
-- a re-sent command is answered with its remembered ack instead of being carried out twice. Written in the same
-- transaction as the command's effect. FAILED acks are never remembered (a re-sent command runs again), nor
-- EXPORT acks (reading again is harmless), so this table holds no exported personal data.
CREATE TABLE store_command_outcome (
    command_id    VARCHAR(100)  PRIMARY KEY,
    system_name   VARCHAR(100)  NOT NULL,
    tenant_id     VARCHAR(100),
    request_id    VARCHAR(100),
    outcome       VARCHAR(20)   NOT NULL,
    records       BIGINT        NOT NULL,
    digest        VARCHAR(64),
    detail        VARCHAR(1000),
    completed_at  TIMESTAMPTZ   NOT NULL,
    remembered_at TIMESTAMPTZ   NOT NULL DEFAULT now()
);

CREATE INDEX store_command_outcome_request ON store_command_outcome (request_id);
