-- Which identifiers a system finds a subject's data by (subjectId, email); systems registered before knew only one.
ALTER TABLE data_system ADD COLUMN identifiers TEXT[] NOT NULL DEFAULT '{subjectId}';

-- A command not sent because the request lacks identifiers its system needs (state 'action_required'): which ones.
ALTER TABLE subject_command ADD COLUMN missing_identifiers TEXT[] NOT NULL DEFAULT '{}';
-- What the store kept instead of erasing, as it acked it: JSON [{category, basis, form}].
ALTER TABLE subject_command ADD COLUMN retained TEXT NOT NULL DEFAULT '[]';

-- A restriction's LIFT_RESTRICTION goes to the same systems as its RESTRICT: one command per system per request and
-- kind. Same index name, so a later migration that replaces the index finds it.
DROP INDEX IF EXISTS subject_command_request_system;
CREATE UNIQUE INDEX subject_command_request_system ON subject_command (request_id, system_id, kind)
    WHERE request_id IS NOT NULL;
