-- Which identifiers a system finds a subject's data by (subjectId, email); systems registered before knew only one.
ALTER TABLE data_system ADD COLUMN identifiers TEXT[] NOT NULL DEFAULT '{subjectId}';

-- A command not sent because the request lacks identifiers its system needs (state 'action_required'): which ones.
ALTER TABLE subject_command ADD COLUMN missing_identifiers TEXT[] NOT NULL DEFAULT '{}';
-- What the store kept instead of erasing, as it acked it: JSON [{category, basis, form}].
ALTER TABLE subject_command ADD COLUMN retained TEXT NOT NULL DEFAULT '[]';
