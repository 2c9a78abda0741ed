-- Idempotency-Key support: the first response to a key is kept and replayed; the same key with another body is a 409.
CREATE TABLE idempotency_key (
    tenant_id      VARCHAR(100) NOT NULL,
    scope          VARCHAR(100) NOT NULL,
    idempotency_key VARCHAR(200) NOT NULL,
    request_hash   VARCHAR(64)  NOT NULL,
    status         INTEGER,
    response_body  TEXT,
    created_at     TIMESTAMPTZ  NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, scope, idempotency_key)
);

CREATE INDEX idempotency_key_created ON idempotency_key (created_at);
