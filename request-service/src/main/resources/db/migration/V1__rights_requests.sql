-- Rights requests of data subjects, their audit chain and the data stores exported for them.

CREATE TABLE rights_request (
    id                      UUID         PRIMARY KEY,
    tenant_id               VARCHAR(100) NOT NULL,
    type                    VARCHAR(40)  NOT NULL,
    status                  VARCHAR(40)  NOT NULL,
    subject_id              VARCHAR(200) NOT NULL,
    -- Needed to send the verification code and the outcome; travels to the stores only on 'verified'.
    contact_email           VARCHAR(320),
    regulation              VARCHAR(20)  NOT NULL,
    details                 VARCHAR(2000),
    rectification           TEXT         NOT NULL DEFAULT '{}',
    verified_by             VARCHAR(200),
    verified_at             TIMESTAMPTZ,
    received_at             TIMESTAMPTZ  NOT NULL,
    due_at                  TIMESTAMPTZ  NOT NULL,
    extended_due_at         TIMESTAMPTZ,
    extension_reason        VARCHAR(2000),
    -- due_at, or extended_due_at once extended: what the SLA watch and the listing sort by.
    effective_due_at        TIMESTAMPTZ  NOT NULL,
    outcome_reason          VARCHAR(2000),
    closed_at               TIMESTAMPTZ,
    -- Processor routing: the platform's request points to the controller's copy, the copy to the original.
    controller_tenant_id    VARCHAR(100),
    redirected_to_id        UUID,
    origin_tenant_id        VARCHAR(100),
    origin_request_id       UUID,
    -- Only a keyed hash of the verification code is kept, never the code.
    verification_hash       VARCHAR(64),
    verification_attempts   INTEGER      NOT NULL DEFAULT 0,
    verification_expires_at TIMESTAMPTZ,
    -- The last RequestProgress from retention-service.
    progress_state          VARCHAR(20),
    progress_systems        TEXT,
    progress_at             TIMESTAMPTZ,
    -- The SLA alerts already sent (set in the transaction that writes the alert to the outbox).
    alert_due_soon_at       TIMESTAMPTZ,
    alert_overdue_at        TIMESTAMPTZ,
    -- Head of the audit chain: a deleted last entry is detected too.
    audit_seq               INTEGER      NOT NULL DEFAULT 0,
    audit_head              VARCHAR(64),
    version                 BIGINT       NOT NULL DEFAULT 0
);

CREATE INDEX rights_request_listing ON rights_request (tenant_id, received_at DESC, id DESC);
CREATE INDEX rights_request_open_due ON rights_request (effective_due_at)
    WHERE status IN ('identity_unverified', 'received_from_processor', 'verified', 'in_progress');

-- Append-only: hash = SHA-256(prev_hash || canonical entry), see AuditChain for the canonical form.
CREATE TABLE request_audit (
    request_id  UUID         NOT NULL REFERENCES rights_request (id),
    seq         INTEGER      NOT NULL,
    at          TIMESTAMPTZ  NOT NULL,
    actor       VARCHAR(200) NOT NULL,
    action      VARCHAR(60)  NOT NULL,
    detail      VARCHAR(4000) NOT NULL,
    prev_hash   VARCHAR(64)  NOT NULL,
    hash        VARCHAR(64)  NOT NULL,
    PRIMARY KEY (request_id, seq)
);

-- The application never changes an entry; the chain would reveal it anyway, this makes it an explicit act.
CREATE FUNCTION request_audit_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'request_audit is append-only';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER request_audit_append_only BEFORE UPDATE OR DELETE ON request_audit
    FOR EACH ROW EXECUTE FUNCTION request_audit_append_only();

-- What each store exported for an access/portability/information request (the EXPORT ack's data).
CREATE TABLE export_part (
    tenant_id   VARCHAR(100) NOT NULL,
    request_id  UUID         NOT NULL,
    system      VARCHAR(200) NOT NULL,
    command_id  VARCHAR(100) NOT NULL,
    records     BIGINT       NOT NULL,
    data        TEXT         NOT NULL,
    received_at TIMESTAMPTZ  NOT NULL,
    PRIMARY KEY (tenant_id, request_id, system)
);
