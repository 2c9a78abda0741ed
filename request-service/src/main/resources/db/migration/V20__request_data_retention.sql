-- request-service as a store of personal data (issue 11, point 7): a closed request keeps only what accountability
-- needs (type, dates, outcome, audit chain); its subject id, address, details and rectification values are removed
-- a configured time after closing, and export copies a configured time after their first delivery.
ALTER TABLE rights_request ALTER COLUMN subject_id DROP NOT NULL;
ALTER TABLE rights_request ADD COLUMN export_delivered_at TIMESTAMPTZ;
ALTER TABLE rights_request ADD COLUMN export_deleted_at TIMESTAMPTZ;
ALTER TABLE rights_request ADD COLUMN identifiers_removed_at TIMESTAMPTZ;

-- The store looks a subject's requests up by subject id.
CREATE INDEX rights_request_subject ON rights_request (tenant_id, subject_id);
-- The prune's two questions: delivered exports still held, closed requests still holding identifiers.
CREATE INDEX rights_request_export_delivered ON rights_request (export_delivered_at)
    WHERE export_delivered_at IS NOT NULL AND export_deleted_at IS NULL;
CREATE INDEX rights_request_closed_identified ON rights_request (closed_at)
    WHERE closed_at IS NOT NULL AND identifiers_removed_at IS NULL;
