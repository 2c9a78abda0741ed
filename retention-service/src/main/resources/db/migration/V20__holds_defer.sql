-- Releasing a hold is audited, not a bare delete: the row stays with who released it, when and why.
ALTER TABLE legal_hold
    ADD COLUMN released_at     TIMESTAMPTZ,
    ADD COLUMN released_by     VARCHAR(200),
    ADD COLUMN release_reason  VARCHAR(500);

-- Holds defer, they do not forget: every category a hold kept from an erasure, in each system, waits here until no
-- hold covers it any more, then its ERASE is issued (a deferred command, release_id set) and, once done, the
-- request's certificate is amended. The subject (id and contact address) is kept only for that deferred command
-- and cleared when it is issued.
CREATE TABLE deferred_erasure (
    id              UUID          PRIMARY KEY,
    request_id      VARCHAR(100)  NOT NULL REFERENCES rights_request (request_id),
    tenant_id       VARCHAR(100)  NOT NULL,
    system_id       VARCHAR(100)  NOT NULL,
    category        VARCHAR(100)  NOT NULL,
    hold_reason     VARCHAR(500)  NOT NULL,
    subject         TEXT,
    -- waiting | issued | done
    state           VARCHAR(20)   NOT NULL,
    release_id      UUID,
    release_reason  VARCHAR(600),
    created_at      TIMESTAMPTZ   NOT NULL,
    released_at     TIMESTAMPTZ,
    UNIQUE (request_id, system_id, category)
);

CREATE INDEX deferred_erasure_waiting ON deferred_erasure (request_id) WHERE state = 'waiting';

-- A deferred ERASE belongs to its request and to the release that issued it; a request keeps one ordinary command
-- per system, and may get deferred ones to the same system later.
ALTER TABLE subject_command ADD COLUMN release_id UUID;
DROP INDEX subject_command_request_system;
CREATE UNIQUE INDEX subject_command_request_system ON subject_command (request_id, system_id)
    WHERE request_id IS NOT NULL AND release_id IS NULL;
CREATE INDEX subject_command_release ON subject_command (release_id) WHERE release_id IS NOT NULL;
