-- Signed anchors of the audit chains (also published on privacy.audit-anchor.v1, where verification reads them:
-- this copy serves GET /v1/audit/anchors and numbers the next anchor). Whoever rewrites these rows cannot re-sign
-- them, and the published copies stay as they were.
CREATE TABLE audit_anchor (
    anchor          BIGINT       PRIMARY KEY,
    issued_at       TIMESTAMPTZ  NOT NULL,
    key_id          VARCHAR(64)  NOT NULL,
    previous        VARCHAR(64)  NOT NULL,
    entries_digest  VARCHAR(64)  NOT NULL,
    entries         INTEGER      NOT NULL,
    signature       VARCHAR(200) NOT NULL,
    -- SHA-256 of the signed form: the next anchor's previous
    digest          VARCHAR(64)  NOT NULL
);

-- How far each request's chain has been anchored: the next anchor takes the entries after seq.
CREATE TABLE audit_anchored_seq (
    request_id  UUID     PRIMARY KEY REFERENCES rights_request (id),
    seq         INTEGER  NOT NULL
);
