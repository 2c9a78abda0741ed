CREATE TABLE widget (
    id          UUID PRIMARY KEY,
    tenant_id   VARCHAR(100) NOT NULL,
    name        VARCHAR(50)  NOT NULL,
    created_at  TIMESTAMPTZ  NOT NULL
);

-- No unique constraint on purpose: a second effect of one event would show as a second row.
CREATE TABLE notification_effect (
    event_id     VARCHAR(64)  NOT NULL,
    kind         VARCHAR(100) NOT NULL,
    received_at  TIMESTAMPTZ  NOT NULL DEFAULT now()
);
