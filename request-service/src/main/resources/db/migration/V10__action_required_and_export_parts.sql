-- Issue 11: requests that wait for an operator, operator resolutions, lifted restrictions, exports in parts.
ALTER TABLE rights_request ADD COLUMN action_reason VARCHAR(2000);
ALTER TABLE rights_request ADD COLUMN resolution VARCHAR(200);
ALTER TABLE rights_request ADD COLUMN restriction_lifted_at TIMESTAMPTZ;

-- action_required is open: the deadline runs, the SLA watch and the queue read it.
DROP INDEX rights_request_open_due;
CREATE INDEX rights_request_open_due ON rights_request (effective_due_at)
    WHERE status IN ('identity_unverified', 'received_from_processor', 'verified', 'in_progress', 'action_required');

-- An EXPORT's data may come in several ordered acks: each part is kept once.
ALTER TABLE export_part ADD COLUMN part INTEGER NOT NULL DEFAULT 1;
ALTER TABLE export_part ADD COLUMN parts INTEGER NOT NULL DEFAULT 1;
ALTER TABLE export_part DROP CONSTRAINT export_part_pkey;
ALTER TABLE export_part ADD PRIMARY KEY (tenant_id, request_id, system, part);
