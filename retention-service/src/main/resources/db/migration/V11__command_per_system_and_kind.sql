-- A restriction's LIFT_RESTRICTION goes to the same systems as its RESTRICT: one command per system per request and
-- kind. Same index name, so a later migration that replaces the index finds it.
DROP INDEX IF EXISTS subject_command_request_system;
CREATE UNIQUE INDEX subject_command_request_system ON subject_command (request_id, system_id, kind)
    WHERE request_id IS NOT NULL;
