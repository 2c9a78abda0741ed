-- Issue 15, part 4: requests that controllers' tools send in OpenDSR 2.0 (or its older name, OpenGDPR), each mapped
-- onto one rights request of the controller's tenant, and the signed status callbacks owed to them. Neither table
-- holds personal data: the identities travel into the rights request, where erasure and the prune reach them.
CREATE TABLE opendsr_request (
    id                    UUID          PRIMARY KEY,
    tenant_id             VARCHAR(100)  NOT NULL,
    -- The controller's id of the request (lower-case UUID v4): the same id again is the same request.
    subject_request_id    UUID          NOT NULL,
    request_id            UUID          NOT NULL UNIQUE REFERENCES rights_request (id),
    -- SHA-256 (hex) of the request body with its keys sorted: the same id with another body is a conflict.
    body_digest           VARCHAR(64)   NOT NULL,
    dialect               VARCHAR(20)   NOT NULL CHECK (dialect IN ('opendsr', 'opengdpr')),
    api_version           VARCHAR(20),
    submitted_time        TIMESTAMPTZ   NOT NULL,
    received_at           TIMESTAMPTZ   NOT NULL,
    -- Where the controller reached us (scheme://host[:port]/): the domain header and result links of callbacks.
    processor_base_url    VARCHAR(2000) NOT NULL,
    status_callback_urls  TEXT[]        NOT NULL,
    -- The OpenDSR status the last callbacks were written for: a platform change that maps to the same one sends none.
    reported_status       VARCHAR(20)   NOT NULL,
    UNIQUE (tenant_id, subject_request_id)
);

-- The durable outbox of callbacks: written in the transaction of the status change, sent by a timer with retries.
CREATE TABLE opendsr_callback (
    id                  UUID          PRIMARY KEY,
    -- Order of writing: a callback waits while an older one to the same URL for the same request is pending.
    seq                 BIGSERIAL     NOT NULL UNIQUE,
    opendsr_request_id  UUID          NOT NULL REFERENCES opendsr_request (id),
    url                 VARCHAR(2000) NOT NULL,
    -- The exact bytes (UTF-8) that are signed and sent, fixed when written, so every retry sends the same.
    body                TEXT          NOT NULL,
    state               VARCHAR(20)   NOT NULL CHECK (state IN ('pending', 'delivered', 'given_up')),
    attempts            INTEGER       NOT NULL DEFAULT 0,
    next_attempt_at     TIMESTAMPTZ   NOT NULL,
    -- What the last failed attempt got (an HTTP status or the kind of error), never the answer's body.
    last_error          VARCHAR(500),
    created_at          TIMESTAMPTZ   NOT NULL,
    delivered_at        TIMESTAMPTZ
);

CREATE INDEX opendsr_callback_due ON opendsr_callback (next_attempt_at) WHERE state = 'pending';
CREATE INDEX opendsr_callback_of_request ON opendsr_callback (opendsr_request_id, url, seq);
