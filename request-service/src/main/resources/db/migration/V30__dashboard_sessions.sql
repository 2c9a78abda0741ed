-- Issue 12, point 10: the dashboard's sign-in is a server-side session. The cookie holds a random session id; only
-- its SHA-256 is stored, with what the operator's token said (tenant, subject, roles) and when the session ends.
-- The token itself is checked once at sign-in and never kept.
CREATE TABLE dashboard_session (
    id_hash      CHAR(64)     PRIMARY KEY,
    tenant_id    VARCHAR(200) NOT NULL,
    subject      VARCHAR(500) NOT NULL,
    roles        VARCHAR(1000) NOT NULL,
    created_at   TIMESTAMPTZ  NOT NULL,
    last_seen_at TIMESTAMPTZ  NOT NULL,
    -- The absolute end: the configured maximum, or the token's own expiry when that comes first.
    expires_at   TIMESTAMPTZ  NOT NULL
);

-- The prune deletes sessions past their absolute end or idle too long.
CREATE INDEX dashboard_session_expires ON dashboard_session (expires_at);
CREATE INDEX dashboard_session_last_seen ON dashboard_session (last_seen_at);
