-- Opaque one-click unsubscribe links (issue 11): the URL carries a random token; only its SHA-256 is stored, with
-- whom and what it is about. Expired rows are pruned; an erasure deletes the subject's rows, so an old link
-- afterwards finds nothing and writes nothing.
CREATE TABLE unsubscribe_token (
    token_hash  VARCHAR(64)   PRIMARY KEY,
    tenant_id   VARCHAR(100)  NOT NULL,
    subject_id  VARCHAR(200)  NOT NULL,
    purpose_id  VARCHAR(100)  NOT NULL,
    created_at  TIMESTAMPTZ   NOT NULL,
    expires_at  TIMESTAMPTZ   NOT NULL
);

CREATE INDEX unsubscribe_token_subject ON unsubscribe_token (tenant_id, subject_id);
CREATE INDEX unsubscribe_token_expiry ON unsubscribe_token (expires_at);
