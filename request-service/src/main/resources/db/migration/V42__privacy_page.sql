-- Issue 15, part 3: the public privacy page. A data subject has no account: what lets a browser see its own request
-- is an access token (random 256 bits, in an HttpOnly cookie) whose SHA-256 alone is kept here, and an export is
-- handed out through a one-time download link kept the same way. Neither table holds personal data beyond the
-- request id; the prune (requests.prune.every) deletes the rows once they have expired.
CREATE TABLE privacy_page_access (
    token_hash CHAR(64)     PRIMARY KEY,
    tenant_id  VARCHAR(200) NOT NULL,
    request_id UUID         NOT NULL REFERENCES rights_request (id) ON DELETE CASCADE,
    created_at TIMESTAMPTZ  NOT NULL,
    expires_at TIMESTAMPTZ  NOT NULL
);
CREATE INDEX privacy_page_access_expires ON privacy_page_access (expires_at);
CREATE INDEX privacy_page_access_request ON privacy_page_access (request_id);

CREATE TABLE export_download_link (
    token_hash CHAR(64)     PRIMARY KEY,
    tenant_id  VARCHAR(200) NOT NULL,
    request_id UUID         NOT NULL REFERENCES rights_request (id) ON DELETE CASCADE,
    created_at TIMESTAMPTZ  NOT NULL,
    expires_at TIMESTAMPTZ  NOT NULL,
    -- Set by the one download the link allows; a second use finds it set (410).
    used_at    TIMESTAMPTZ
);
CREATE INDEX export_download_link_expires ON export_download_link (expires_at);
CREATE INDEX export_download_link_request ON export_download_link (request_id);
